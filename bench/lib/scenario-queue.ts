/**
 * The scenario benchmark through the queue (`npm run bench scenarios -- --queue URL`):
 * each sample is a study of its own on the queue, one job of the scenario
 * (scaled by the suite's factor) at its own seed and configuration, run by
 * whichever `meshtune worker` is connected, as `plan --queue` runs its
 * simulations.
 *
 * A worker runs many jobs in one process, so what a process measures
 * (CPU time, peak RSS, the reference workload) has no meaning per sample here
 * and is not written. Per scenario: events/s of the simulation proper (the
 * engine's own count and wall time, on the worker), and the round trip, from
 * queuing the job to its result back, a worker having joined the study (the
 * queue's cost, the load and compile when the worker's thread has not seen
 * the scenario yet, and the simulation).
 */
import { performance } from 'node:perf_hooks';
import { DEFAULT_PREFIX, loadQueue, parseQueueUrl, type QueueAddress } from '../../sim/queue/index.js';
import type { RunTask } from '../../sim/runner/task.js';
import { loadScenario, scaleScenario } from '../../sim/scenario/index.js';
import { meshtuneVersion, scenarioHash } from '../../sim/study/persist.js';
import type { TaskSamples } from './results.js';

const WAIT_MS = 20;
/** A study no worker joined within this long is named with the command that starts one. */
const NO_WORKER_HINT_MS = 3000;

/** What one job measured. */
export interface QueueSample {
  events: number;
  /** The simulation's wall time on the worker (the engine's `wallMs`). */
  simulateMs: number;
  /** Job queued → result back, ms. */
  roundTripMs: number;
}

export interface BenchQueue {
  address: QueueAddress;
  prefix: string;
  version: string;
  /** Simulations of this process's studies are named after it. */
  run: string;
}

/** Parses and checks the URL (an InputError naming --queue when it cannot be used). */
export async function openBenchQueue(url: string): Promise<BenchQueue> {
  const address = parseQueueUrl(url, 'queue');
  const { checkReachable } = await loadQueue();
  await checkReachable(address, 'queue');
  // The workers' prefix: `meshtune worker` reads the same variable.
  return { address, prefix: process.env.MESHTUNE_QUEUE_PREFIX || DEFAULT_PREFIX, version: meshtuneVersion(), run: `bench-${process.pid}` };
}

/** One sample: a study of one job, opened, run and closed. `say` is told when no worker joins it. */
export async function sampleOnQueue(q: BenchQueue, file: string, factor: number, sample: number, say: (line: string) => void): Promise<QueueSample> {
  const { QueueRunner } = await loadQueue();
  const scenario = scaleScenario(loadScenario(file), factor);
  const runner = await QueueRunner.open({
    address: q.address,
    prefix: q.prefix,
    studyId: `${q.run}-${scenario.name}-${sample}`,
    scenario,
    hash: scenarioHash(scenario),
    version: q.version,
    onNote: say,
  });
  try {
    // Workers find a new study at their next look at the registry (every second):
    // the clock starts once one has joined, so the round trip holds no such wait.
    for (let waited = 0; (await runner.connectedWorkers()) === 0; waited += WAIT_MS) {
      if (waited === NO_WORKER_HINT_MS) say(`  no worker on ${q.address.shown} yet: start \`meshtune worker --queue ${q.address.shown}\``);
      await new Promise((r) => setTimeout(r, WAIT_MS));
    }
    const task: RunTask = { scenarioPath: file, fraction: 1, config: scenario.config, seed: scenario.seed };
    const t0 = performance.now();
    const r = await runner.run(task);
    const roundTripMs = performance.now() - t0;
    if (!r.ok) throw new Error(`${scenario.name}: the run failed on the queue: ${r.error}`);
    return { events: r.metrics.engine.events, simulateMs: r.metrics.engine.wallMs, roundTripMs };
  } finally {
    await runner.close();
  }
}

/** Two tasks per scenario, named apart from the local suite's (results/bench/scenarios-queue.*). */
export function queueTasks(byScenario: ReadonlyArray<{ name: string; samples: readonly QueueSample[] }>): TaskSamples[] {
  return byScenario.flatMap(({ name, samples }) => [
    { name: `${name}: events/s on a queue worker`, unit: 'Mevents/s', higherIsBetter: true, samples: samples.map((s) => (s.simulateMs > 0 ? s.events / s.simulateMs / 1000 : Infinity)) },
    { name: `${name}: round trip through the queue`, unit: 'ms', higherIsBetter: false, samples: samples.map((s) => s.roundTripMs) },
  ]);
}
