import { NORMALISED_MARK } from '../../sim/gate/bench.js';
import type { TaskSamples } from './results.js';
import type { ChildSample } from './scenario-child.js';
import { REFERENCE_EVENTS } from './reference.js';
import { median } from '../../sim/metrics/stats.js';

/**
 * From the child processes' raw samples to the tasks of
 * `results/bench/scenarios.json`. Pure.
 *
 * Per scenario: events/s (simulation only, wall clock), wall time (load,
 * compile, simulate), CPU time (the same span, every thread of the process),
 * peak RSS, and two machine-normalised twins of the timings. With
 * `bench scenarios --warm`, an eighth: events/s of a second run of the
 * compiled scenario in the same process (wall clock), the rate a study's
 * worker sustains once V8 has compiled the handlers.
 *
 * Machine normalisation. Every child process first runs the fixed reference
 * workload (bench/lib/reference.ts: PHOLD, 2·10⁶ events, code that never
 * changes) and then the scenario, seconds apart on the same core. The twins
 * divide by that reference, sample by sample:
 *
 *   CPU time (normalised) = cpuMs / referenceCpuMs                          (× reference, lower is better)
 *   events/s (normalised) = (events / simulateCpuMs) / (referenceEvents / referenceCpuMs)
 *                                                                          (× reference rate, higher is better)
 *
 * A machine twice as fast halves numerator and denominator alike, so the
 * twins stay put; a change to the simulator moves only the numerator; pairing
 * by process cancels slow drift. The twins are built from CPU time rather
 * than wall time on purpose: wall time on a shared machine includes the time
 * the process waited for a core, which no reference run seconds earlier can
 * cancel. Measured here with a busy loop on the other of two cores, the
 * ratio wall / reference wall moved +13% to +53% on three quick scenarios,
 * the ratio CPU / reference CPU −5% to +24%. Peak RSS is not normalised: it
 * depends on the code and the Node version, not on the CPU's speed.
 */

/** Marks the normalised twins in task names; `meshtune gate --only normalised` selects them. */
export { NORMALISED_MARK };

/** The reference workload's task name. */
export const REFERENCE_TASK = `reference: PHOLD ${REFERENCE_EVENTS / 1e6}M events`;

/** Task names of one scenario, in the order they are written. */
export function scenarioTaskNames(scenario: string): {
  rate: string;
  wall: string;
  cpu: string;
  rss: string;
  rateNorm: string;
  cpuNorm: string;
  rateWarm: string;
} {
  return {
    rate: `${scenario}: events/s`,
    wall: `${scenario}: wall time`,
    cpu: `${scenario}: CPU time`,
    rss: `${scenario}: peak RSS`,
    rateNorm: `${scenario}: events/s ${NORMALISED_MARK}`,
    cpuNorm: `${scenario}: CPU time ${NORMALISED_MARK}`,
    rateWarm: `${scenario}: events/s (warm)`,
  };
}

/**
 * Below this median CPU time of the simulation, a scenario's events/s is not
 * gated (reported only): the time is mostly V8 compiling the handlers on
 * their first calls and the odd collection, not the events. Measured: the
 * quick overprovisioned-swarm (1,440 events) took 17–31 ms of simulation CPU
 * over six runs of one build, a swing of nearly half on no
 * change; the gate flagged it, and confirmed it, on unchanged code.
 */
export const BRIEF_SIMULATION_MS = 100;

/**
 * The mark that keeps a rate out of the gate when `run` took under
 * BRIEF_SIMULATION_MS of CPU (median `cpuMs`), else nothing.
 */
function briefMark(cpuMs: number, run: string, why = ''): { ungated?: string } {
  return cpuMs < BRIEF_SIMULATION_MS
    ? { ungated: `${run} takes ${Math.round(cpuMs)} ms of CPU (median), too brief to time: under ${BRIEF_SIMULATION_MS} ms${why}` }
    : {};
}

/** Rate in millions of events per second of `ms`. */
function mrate(events: number, ms: number): number {
  return ms > 0 ? events / ms / 1000 : Infinity;
}

/**
 * Tasks for scenarios measured in order: six per scenario (seven when every
 * sample has a warm run), then the reference task holding every child's
 * reference rate (wall clock).
 */
export function scenarioTasks(byScenario: ReadonlyArray<{ name: string; samples: readonly ChildSample[] }>): TaskSamples[] {
  const tasks: TaskSamples[] = [];
  const reference: number[] = [];
  for (const { name, samples } of byScenario) {
    const n = scenarioTaskNames(name);
    reference.push(...samples.map((s) => mrate(s.referenceEvents, s.referenceMs)));
    const brief = briefMark(median(samples.map((s) => s.simulateCpuMs)), 'the simulation', ', first-call compiling decides its rate');
    tasks.push(
      { name: n.rate, unit: 'Mevents/s', higherIsBetter: true, samples: samples.map((s) => mrate(s.events, s.simulateMs)), ...brief },
      { name: n.wall, unit: 'ms', higherIsBetter: false, samples: samples.map((s) => s.wallMs) },
      { name: n.cpu, unit: 'ms', higherIsBetter: false, samples: samples.map((s) => s.cpuMs) },
      { name: n.rss, unit: 'MB', higherIsBetter: false, samples: samples.map((s) => s.peakRssMB) },
      {
        name: n.rateNorm,
        unit: '× reference rate',
        higherIsBetter: true,
        samples: samples.map((s) => mrate(s.events, s.simulateCpuMs) / mrate(s.referenceEvents, s.referenceCpuMs)),
        ...brief,
      },
      {
        name: n.cpuNorm,
        unit: '× reference CPU time',
        higherIsBetter: false,
        samples: samples.map((s) => s.cpuMs / s.referenceCpuMs),
      },
    );
    if (samples.length > 0 && samples.every((s) => s.warmSimulateMs !== undefined)) {
      tasks.push({
        name: n.rateWarm,
        unit: 'Mevents/s',
        higherIsBetter: true,
        samples: samples.map((s) => mrate(s.events, s.warmSimulateMs!)),
        ...briefMark(median(samples.map((s) => s.warmSimulateCpuMs ?? 0)), 'the second run'),
      });
    }
  }
  tasks.push({ name: REFERENCE_TASK, unit: 'Mevents/s', higherIsBetter: true, samples: reference });
  return tasks;
}
