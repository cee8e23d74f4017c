import { median } from '../metrics/stats.js';
import type { BenchDocument, BenchTask } from './shape.js';

/**
 * Several benchmark files of one side (the same suite run in separate
 * processes) pooled into one, where each file contributes ONE sample per
 * task: its median. The samples in a single file are iterations inside one
 * process, and between processes a JIT-compiled benchmark varies far more
 * than within one (different inlining and tiering decisions, a different
 * neighbour on the machine) — Kalibera & Jones, "Rigorous Benchmarking in
 * Reasonable Time", ISMM 2013. Comparing within-process samples across two
 * processes therefore mistakes that variation for a change; comparing one
 * median per process does not. Measured on micro runs here: the per-run
 * medians of a task vary 11–41% between runs, its samples 6–17% within one.
 *
 * A task is kept when every file has it; the first file's unit and direction
 * stand (files that disagree are reported by the caller's comparison as
 * usual, since they would not be the same suite). Pure.
 */
export function poolRuns(docs: readonly BenchDocument[]): { doc: BenchDocument; dropped: string[] } {
  const first = docs[0];
  if (first === undefined) throw new RangeError('poolRuns needs at least one file');
  const tasks: BenchTask[] = [];
  const dropped: string[] = [];
  for (const t of first.tasks) {
    const perRun = docs.map((d) => d.tasks.find((x) => x.name === t.name));
    if (perRun.some((x) => x === undefined)) {
      dropped.push(t.name);
      continue;
    }
    tasks.push({ ...t, samples: perRun.map((x) => median(x!.samples)) });
  }
  return { doc: { kind: 'bench', env: first.env, tasks }, dropped };
}
