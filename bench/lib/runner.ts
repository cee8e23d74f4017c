import { Bench } from 'tinybench';
import type { Task } from 'tinybench';
import type { TaskSamples } from './results.js';

/**
 * Throughput measurement on top of tinybench. Each tinybench iteration runs
 * one batch of `opsPerSample` operations, so one latency sample (wall ms per
 * batch) becomes one throughput sample; timer and harness overhead are
 * amortised over the batch. This module measures and prints nothing: progress
 * goes to a callback, formatting lives in results.ts.
 */

/** Runs `ops` operations on state built by `make` and returns a checksum of their results. */
export type Batch = (ops: number) => number;

/** A task measured as a rate: operations per wall second, divided by `scale`. */
export interface BatchTask {
  name: string;
  /** Unit of the reported rate, e.g. `Mevents/s`; must agree with `scale`. */
  unit: string;
  /** Divisor turning operations per second into `unit` (1e6 for `M…/s`). */
  scale: number;
  /** Operations per sample; pick it so one batch takes tens of milliseconds. */
  opsPerSample: number;
  /**
   * Builds the task's state once (outside the timed region) and returns its
   * batch. Each task owns its loop, so the call sites inside stay monomorphic.
   */
  make: () => Batch;
}

/** Declares a task in one line; the rate is in millions of operations per second. */
export function batch(name: string, unit: string, opsPerSample: number, make: () => Batch): BatchTask {
  return { name, unit, scale: 1e6, opsPerSample, make };
}

/** Tuning knobs of one measurement run. */
export interface RunnerConfig {
  /** Minimum measured samples per task (tinybench `iterations`). */
  minSamples: number;
  /** Minimum wall time spent sampling each task, in ms (tinybench `time`). */
  timeMs: number;
  /** Warm-up batches per task before sampling, excluded from the results. */
  warmupBatches: number;
  /** Minimum warm-up wall time per task, in ms. */
  warmupTimeMs: number;
  /** Multiplies every task's `opsPerSample` (quick runs use < 1). */
  opsFactor: number;
}

/** Defaults: ≥ 12 samples and ≥ 0.3 s per task after ≥ 3 warm-up batches. */
export const DEFAULT_RUNNER_CONFIG: RunnerConfig = {
  minSamples: 12,
  timeMs: 300,
  warmupBatches: 3,
  warmupTimeMs: 100,
  opsFactor: 1,
};

/** Smoke-test settings: the minimum that still yields 10 samples per task. */
export const QUICK_RUNNER_CONFIG: RunnerConfig = {
  minSamples: 10,
  timeMs: 0,
  warmupBatches: 1,
  warmupTimeMs: 0,
  opsFactor: 0.1,
};

/** A measured task: its samples (in the task's unit) and the sum of its batches' checksums. */
export interface MeasuredTask extends TaskSamples {
  /** Sum of every batch's return value, warm-up included; print it so no work is dead code. */
  checksum: number;
}

/** Progress notifications; the caller decides whether and where to print them. */
export interface RunnerProgress {
  onWarmup?: () => void;
  onTaskDone?: (task: MeasuredTask) => void;
}

/**
 * Measures every task in order (sequentially, on this thread) and returns
 * one `MeasuredTask` per input task. Throws if a task throws.
 */
export function measureBatches(
  tasks: readonly BatchTask[],
  config: RunnerConfig = DEFAULT_RUNNER_CONFIG,
  progress: RunnerProgress = {},
): MeasuredTask[] {
  const bench = new Bench({
    iterations: config.minSamples,
    time: config.timeMs,
    warmup: config.warmupBatches > 0,
    warmupIterations: config.warmupBatches,
    warmupTime: config.warmupTimeMs,
    retainSamples: true,
    throws: true,
  });

  const sinks = new Map<string, { checksum: number }>();
  const byName = new Map<string, BatchTask>();
  for (const task of tasks) {
    if (byName.has(task.name)) throw new Error(`duplicate benchmark task name: ${task.name}`);
    byName.set(task.name, task);
    const ops = Math.max(1, Math.round(task.opsPerSample * config.opsFactor));
    const sink = { checksum: 0 };
    sinks.set(task.name, sink);
    let run: Batch | undefined;
    bench.add(
      task.name,
      () => {
        sink.checksum += run!(ops);
      },
      {
        async: false,
        // Build state once, before the first (warm-up) batch, outside the timer.
        beforeAll: () => {
          run ??= task.make();
        },
      },
    );
  }

  const measured: MeasuredTask[] = [];
  bench.addEventListener('warmup', () => progress.onWarmup?.());
  bench.addEventListener('cycle', (evt) => {
    const t = toMeasured(evt.task, byName, sinks, config.opsFactor);
    measured.push(t);
    progress.onTaskDone?.(t);
  });
  bench.runSync();
  return measured;
}

function toMeasured(
  task: Task,
  byName: ReadonlyMap<string, BatchTask>,
  sinks: ReadonlyMap<string, { checksum: number }>,
  opsFactor: number,
): MeasuredTask {
  const spec = byName.get(task.name);
  const sink = sinks.get(task.name);
  if (spec === undefined || sink === undefined) throw new Error(`unknown benchmark task: ${task.name}`);
  const result = task.result;
  if (result.state === 'errored') throw result.error;
  if (result.state !== 'completed' && result.state !== 'aborted-with-statistics') {
    throw new Error(`benchmark task ${task.name} ended in state ${result.state}`);
  }
  const ops = Math.max(1, Math.round(spec.opsPerSample * opsFactor));
  // tinybench retains the samples sorted by latency, so run order is not kept.
  const latencyMs = result.latency.samples ?? [];
  // ms per batch → operations per second → unit.
  const samples = latencyMs.map((ms) => (ms > 0 ? (ops * 1000) / ms / spec.scale : Infinity));
  return { name: spec.name, unit: spec.unit, higherIsBetter: true, samples, checksum: sink.checksum };
}
