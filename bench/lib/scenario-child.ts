/**
 * One sample of the scenario benchmark, run as its own Node process so that
 * its peak resident set belongs to one scenario alone:
 *
 *   node dist/bench/lib/scenario-child.js <scenario-file> <factor> [warm]
 *
 * It first runs the reference workload (bench/lib/reference.ts), then loads,
 * scales and simulates the scenario once at its own seed, and prints one JSON
 * line (a {@link ChildSample}) on stdout. Errors go to stderr with exit 1.
 * With `warm`, it then simulates the compiled scenario once more, at the same
 * seed: V8 has compiled the handlers by then, as it has for every run but the
 * first of a study's worker.
 */
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { loadScenario, scaleScenario } from '../../sim/scenario/index.js';
import { compileScenario } from '../../sim/model/index.js';
import { runOnce } from '../../sim/runner/index.js';
import { cpuMsSince, runReference } from './reference.js';

/** What one child process measured. Times in wall ms, memory in MiB. */
export interface ChildSample {
  /** The scenario's `name`. */
  scenario: string;
  /** Events the simulation dispatched. */
  events: number;
  /** Wall time of the simulation proper (the engine's own `wallMs`). */
  simulateMs: number;
  /** Wall time from reading the scenario file to the finished metrics (load, compile, simulate). */
  wallMs: number;
  /** CPU time of the process (all threads) over the same span as `wallMs`, and over the simulation alone. */
  cpuMs: number;
  simulateCpuMs: number;
  /** Events, wall time and CPU time of the reference run that preceded it in this process. */
  referenceEvents: number;
  referenceMs: number;
  referenceCpuMs: number;
  /** Peak resident set of the process (`process.resourceUsage().maxRSS`, KiB → MiB). */
  peakRssMB: number;
  /** p99 latency of the run, ms: a sanity figure (identical across samples of one scenario). */
  p99: number;
  /** With `warm`: the second run's simulation wall and CPU time (the same events). */
  warmSimulateMs?: number;
  warmSimulateCpuMs?: number;
}

/** Runs one sample; the scenario is scaled by `factor` (1 = as written); `warm`: then once more. */
export function measureSample(file: string, factor: number, warm = false): ChildSample {
  const reference = runReference();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const scenario = scaleScenario(loadScenario(file), factor);
  const compiled = compileScenario(scenario);
  const s0 = process.cpuUsage();
  const metrics = runOnce(compiled, scenario.config, scenario.seed);
  const simulateCpuMs = cpuMsSince(s0);
  const wallMs = performance.now() - t0;
  const cpuMs = cpuMsSince(c0);
  if (!Number.isFinite(reference.checksum)) throw new Error('reference run lost its checksum');
  // The peak of the first run alone, as without `warm`.
  const peakRssMB = process.resourceUsage().maxRSS / 1024;
  let again: Pick<ChildSample, 'warmSimulateMs' | 'warmSimulateCpuMs'> = {};
  if (warm) {
    const w0 = process.cpuUsage();
    const second = runOnce(compiled, scenario.config, scenario.seed);
    if (second.engine.events !== metrics.engine.events) throw new Error(`the second run dispatched ${second.engine.events} events, the first ${metrics.engine.events}`);
    again = { warmSimulateMs: second.engine.wallMs, warmSimulateCpuMs: cpuMsSince(w0) };
  }
  return {
    scenario: scenario.name,
    events: metrics.engine.events,
    simulateMs: metrics.engine.wallMs,
    wallMs,
    cpuMs,
    simulateCpuMs,
    referenceEvents: reference.events,
    referenceMs: reference.wallMs,
    referenceCpuMs: reference.cpuMs,
    peakRssMB,
    p99: metrics.latencyMs.p99,
    ...again,
  };
}

function main(argv: readonly string[]): number {
  const [file, factorText, mode] = argv;
  const factor = Number(factorText ?? '1');
  if (file === undefined || !(factor > 0) || (mode !== undefined && mode !== 'warm')) {
    process.stderr.write('usage: node scenario-child.js <scenario-file> [factor > 0] [warm]\n');
    return 2;
  }
  try {
    process.stdout.write(`${JSON.stringify(measureSample(file, factor, mode === 'warm'))}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

// Run only as a program, not when imported (the parent imports its types).
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = main(process.argv.slice(2));
}
