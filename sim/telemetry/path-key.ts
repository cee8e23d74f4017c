/**
 * A request's path as a workload entry sees it (SPEC §4, §11.2): stages in
 * order, each one service or a parallel group of 2..8 branches (each branch
 * a sequence of services). One key function turns a path into the string
 * the derivation counts requests by and the replay matches workload entries
 * with, and one cut bounds a path to what a workload entry can hold, so the
 * importer and fidelity's replay cannot disagree on what a path is.
 */
import { MAX_BRANCHES, MAX_STAGES } from '../scenario/schema.js';
import { flattenGrouped, groupedSteps, type Step } from '../scenario/steps.js';
import type { ParallelGroup } from '../scenario/types.js';

/** One service, or a parallel group: its branches, each the services of one branch in order (a scenario's step). */
export type PathStage = Step;
export type Path = readonly PathStage[];

/** Stages on a workload path (`to` and every role of `then`, branch roles counted each) and branches of a group: the scenario's own bounds (SPEC §4). */
export { MAX_BRANCHES, MAX_STAGES };

/** The normalised scenario form of a path (sim/scenario/types.ts): `then` flattened, groups as [first, last] ranges into it. */
export interface WorkloadPath {
  to: string;
  then: readonly string[];
  parallel: readonly ParallelGroup[];
}

// Separators no service or role name holds (control characters), so a key splits back unambiguously.
const STAGE = '\u0001';
const OPEN = '\u0002';
const BRANCH = '\u0003';
const CLOSE = '\u0004';

/**
 * The path's key: equal paths, and only they, give equal keys. A group's
 * branches start together and are in no order, so the key sorts them (by
 * their services): a group read in any order of its branches is one path.
 */
export function pathKey(path: Path): string {
  let out = '';
  for (let i = 0; i < path.length; i++) {
    if (i > 0) out += STAGE;
    const s = path[i]!;
    if (typeof s === 'string') out += s;
    else out += OPEN + s.map((b) => b.join(STAGE)).sort().join(BRANCH) + CLOSE;
  }
  return out;
}

const READING = '\u0005';

/** The readings of one request (path keys, the one it is counted on first) as one key, and back. */
export function readingsKey(keys: readonly string[]): string {
  return keys.join(READING);
}

export function splitReadings(key: string): string[] {
  return key.split(READING);
}

/** The key of a path of single services (what pathKey gives it), without building the path. */
export function flatKey(services: readonly string[]): string {
  return services.join(STAGE);
}

/** The path a key was made from (a group's branches in the key's order). */
export function parsePathKey(key: string): PathStage[] {
  const out: PathStage[] = [];
  let i = 0;
  while (i < key.length) {
    if (key[i] === OPEN) {
      const end = key.indexOf(CLOSE, i);
      out.push(key.slice(i + 1, end).split(BRANCH).map((b) => b.split(STAGE)));
      i = end + 2; // past the close and the stage separator after it
    } else {
      let end = key.indexOf(STAGE, i);
      if (end < 0) end = key.length;
      out.push(key.slice(i, end));
      i = end + 1;
    }
  }
  return out;
}

/** Services (or roles) of a path in stage order, branches one after another. */
export function flatPath(path: Path): string[] {
  const out: string[] = [];
  for (const s of path) {
    if (typeof s === 'string') out.push(s);
    else for (const b of s) for (const x of b) out.push(x);
  }
  return out;
}

/** Services of one stage: 1, or every role of a group's branches. */
function stageSize(s: PathStage): number {
  return typeof s === 'string' ? 1 : s.reduce((a, b) => a + b.length, 0);
}

export function stageCount(path: Path): number {
  let n = 0;
  for (const s of path) n += stageSize(s);
  return n;
}

/**
 * The path bounded to MAX_STAGES services: whole stages are kept while they
 * fit; the first that does not (a service, or a group whose roles would pass
 * the bound) is cut with everything after it. `cut` counts the services cut.
 */
export function cutPath(path: Path, max = MAX_STAGES): { path: PathStage[]; cut: number } {
  const kept: PathStage[] = [];
  let n = 0;
  let i = 0;
  for (; i < path.length; i++) {
    const s = path[i]!;
    const size = stageSize(s);
    if (n + size > max) break;
    kept.push(s);
    n += size;
  }
  return { path: kept, cut: stageCount(path) - n };
}

/** Each service renamed (service → role names). */
export function renamePath(path: Path, name: (s: string) => string): PathStage[] {
  return path.map((s) => (typeof s === 'string' ? name(s) : s.map((b) => b.map(name))));
}

/** A workload entry's path from its normalised form. */
export function workloadPath(w: WorkloadPath): PathStage[] {
  return [w.to, ...groupedSteps(w.then, w.parallel)];
}

/** The normalised form of a path (its first stage a service: `to`). */
export function pathWorkload(path: Path): WorkloadPath {
  const [to, ...rest] = path;
  if (typeof to !== 'string') throw new Error('a path starts with one service');
  return { to, ...flattenGrouped(rest) };
}
