/**
 * Priority classes (SPEC §4, §5): the names workload entries put their
 * messages in, and the checks of the fields that name them — `slo.classes`
 * and `config.priority.weights` — against the classes the workload uses.
 */
import { FieldIssue, unknownName, type PathSegment } from './errors.js';
import type { MeshConfig, Scenario, WorkloadSpec } from './types.js';

/** The class of an entry that names none, when other entries name theirs. */
export const DEFAULT_CLASS = 'default';

/** Classes a scenario may have: one FIFO per class and agent (model/agents.ts keeps 8 queues per agent). */
export const MAX_CLASSES = 8;

type Path = readonly PathSegment[];

/** Classes a trace entry's rows may name (none for other patterns). */
function rowClasses(w: WorkloadSpec): readonly string[] {
  return w.pattern === 'trace' ? w.classes : [];
}

/**
 * The workload's classes in order of first use — each entry's own (`default`
 * where it names none), then those its trace rows may name — or empty when no
 * entry names a class (one class, nothing reported per class).
 */
export function workloadClasses(workload: readonly WorkloadSpec[]): string[] {
  if (!workload.some((w) => w.class !== undefined || rowClasses(w).length > 0)) return [];
  const out: string[] = [];
  for (const w of workload) {
    for (const name of [w.class ?? DEFAULT_CLASS, ...rowClasses(w)]) if (!out.includes(name)) out.push(name);
  }
  return out;
}

/** The class index of each workload entry (0 for all when no entry names a class). */
export function entryClasses(workload: readonly WorkloadSpec[]): number[] {
  const classes = workloadClasses(workload);
  return workload.map((w) => Math.max(0, classes.indexOf(w.class ?? DEFAULT_CLASS)));
}

/** At most MAX_CLASSES classes; `slo.classes` and `config.priority` name classes the workload uses. */
export function checkScenarioClasses(sc: Pick<Scenario, 'workload' | 'slo' | 'config'>): void {
  const classes = workloadClasses(sc.workload);
  if (classes.length > MAX_CLASSES) {
    const extra = classes[MAX_CLASSES]!;
    const i = sc.workload.findIndex((w) => (w.class ?? DEFAULT_CLASS) === extra || rowClasses(w).includes(extra));
    const own = (sc.workload[i]!.class ?? DEFAULT_CLASS) === extra;
    throw new FieldIssue(['workload', i, own ? 'class' : 'classes'], `expected at most ${MAX_CLASSES} priority classes, got ${classes.length} (${classes.join(', ')})`);
  }
  for (const name of Object.keys(sc.slo.classes ?? {})) usedClass(classes, name, ['slo', 'classes', name]);
  checkConfigClasses(sc, sc.config, ['config']);
}

/** `priority.weights` of a configuration (the scenario's, or a `--config` file's at `at` = []). */
export function checkConfigClasses(sc: Pick<Scenario, 'workload'>, config: MeshConfig, at: Path): void {
  const classes = workloadClasses(sc.workload);
  for (const name of Object.keys(config.priority?.weights ?? {})) usedClass(classes, name, [...at, 'priority', 'weights', name]);
}

function usedClass(classes: readonly string[], name: string, at: Path): void {
  if (classes.includes(name)) return;
  if (classes.length === 0) {
    throw new FieldIssue(at, `no workload entry names a priority class; give entries class: ${name} (workload[i].class) or remove this`);
  }
  throw new FieldIssue(at, unknownName('priority class', name, "the workload's classes", classes));
}
