import type { BenchComparison, TaskComparison } from './bench.js';

/**
 * Confirmation of a timing verdict by a second, later run. Between two runs
 * minutes apart a shared machine changes (a neighbour's build, a busy second
 * core delaying background JIT compilation), and that shifts every sample of
 * a run together — variation the samples inside one run cannot show. A real
 * regression persists from one run to the next; such weather mostly does not.
 * So the repository gate re-measures the scenarios of the tasks it found
 * slower and fails only on tasks slower in both runs. On this project's
 * quick scenario benchmark (five runs on a shared 2-core machine, every
 * ordered pair gated at 5%) a single run failed 6 of 20 times; confirmed by a
 * third run, an estimated 3% (2 of 18 confirmations). Pure.
 */

/** Suffixes of scenario task names (bench/lib/scenario-tasks.ts). */
const TASK_SUFFIX = /: (?:events\/s|wall time|CPU time|peak RSS)(?: \(normalised\))?$/;

/** The scenario a scenario-benchmark task measures (`default: wall time` → `default`); null for other tasks. */
export function scenarioOfTask(task: string): string | null {
  const m = TASK_SUFFIX.exec(task);
  return m === null ? null : task.slice(0, m.index);
}

/** A regular expression matching exactly these names (for `npm run bench scenarios --filter`). */
export function exactNames(names: readonly string[]): string {
  const esc = names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return `^(?:${esc.join('|')})$`;
}

export interface Confirmation {
  /** Tasks slower in the first run. */
  flagged: string[];
  /** Of those, slower again in the confirmation run: the gate fails on these. */
  confirmed: TaskComparison[];
  /** Slower once, not again: reported, not failed on. */
  unconfirmed: string[];
}

/** Which of the first run's slower tasks the second run confirms. */
export function confirmSlower(first: BenchComparison, second: BenchComparison): Confirmation {
  const flagged = first.tasks.filter((t) => t.verdict === 'slower').map((t) => t.name);
  const again = new Map(second.tasks.map((t) => [t.name, t]));
  const confirmed: TaskComparison[] = [];
  const unconfirmed: string[] = [];
  for (const name of flagged) {
    const t = again.get(name);
    if (t !== undefined && t.verdict === 'slower') confirmed.push(t);
    else unconfirmed.push(name);
  }
  return { flagged, confirmed, unconfirmed };
}
