/**
 * What a runner does with one task, wherever it runs (a worker thread, this
 * thread, a queue's worker): build the scenario variant the task names
 * (fraction of the duration, load multiplier, replica counts), then run it —
 * plainly, with the report's detail, or as a capacity plan's run (pooled
 * histogram and per-replica attribution).
 */
import { compileScenario, modelKey, type CompiledScenario, type RunControl } from '../model/index.js';
import { runFailure } from './failure.js';
import type { Metrics } from '../metrics/types.js';
import { scaleScenario as scaleTimeline } from '../scenario/scale.js';
import type { MeshConfig, Scenario } from '../scenario/types.js';
import { detailedRun } from './detail-run.js';
import { resizeRole, scaleLoad } from './load.js';
import { planRun } from './plan-run.js';
import { runOnce } from './run.js';
import type { RunTask } from './task.js';

/**
 * The scenario shortened to `fraction` of its duration, for a study's cheaper
 * fidelity rung: the timeline scales as a whole (sim/scenario/scale.ts), so a
 * short run still sees the same story in the same proportions.
 */
export function scaleScenario(sc: Scenario, fraction: number): Scenario {
  if (!(fraction > 0 && fraction <= 1)) throw new RangeError(`fidelity fraction must be in (0, 1], got ${fraction}`);
  return scaleTimeline(sc, fraction);
}

/** The scenario a task runs: `sc` scaled in load, resized, cut to a fraction of its duration. */
export function taskScenario(sc: Scenario, task: Pick<RunTask, 'fraction' | 'load' | 'roles'>): Scenario {
  let out = task.load === undefined || task.load === 1 ? sc : scaleLoad(sc, task.load);
  for (const [role, count] of Object.entries(task.roles ?? {})) out = resizeRole(out, role, count);
  return scaleScenario(out, task.fraction);
}

/** Key of a task's scenario variant, for caching compiled scenarios. */
export function variantKey(task: Pick<RunTask, 'fraction' | 'load' | 'roles'>): string {
  const roles = Object.entries(task.roles ?? {}).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  return `${task.fraction}|${task.load ?? 1}|${JSON.stringify(roles)}`;
}

/**
 * Runs a task on its compiled scenario variant, within the task's limits: a
 * run that outgrows them stops as bad input naming the field behind it
 * (runFailure), which a runner reports as the task's failure.
 */
export function executeTask(task: RunTask, compiled: CompiledScenario, config: MeshConfig = task.config): Metrics {
  const control: RunControl = task.limits !== undefined ? { limits: task.limits } : {};
  if (task.plan === undefined && task.detail !== true) return runOnce(compiled, config, task.seed, false, control);
  try {
    return task.plan !== undefined ? planRun(compiled, config, task.seed, task.plan.slowMs, control) : detailedRun(compiled, config, task.seed, control);
  } catch (err) {
    throw runFailure(err, compiled.scenario, config, task.limits);
  }
}

/**
 * Compiled models kept per cache: a study searching replica counts meets
 * many layouts, and a large mesh's model holds megabytes.
 */
const MAX_COMPILED = 16;

/**
 * Compiled variants of one scenario, each compiled once per layout (the
 * replicas and slots a configuration's `resources` and `autoscale` give each
 * role: sim/model/layout.ts), the most recently used kept.
 */
export class VariantCache {
  private readonly variants = new Map<string, Scenario>();
  private readonly compiled = new Map<string, CompiledScenario>();

  get(key: string, scenario: () => Scenario, task: RunTask, config: MeshConfig = task.config): CompiledScenario {
    const v = `${key}|${variantKey(task)}`;
    let sc = this.variants.get(v);
    if (sc === undefined) {
      sc = taskScenario(scenario(), task);
      this.variants.set(v, sc);
    }
    const k = `${v}|${modelKey(sc, config)}`;
    let c = this.compiled.get(k);
    if (c === undefined) {
      c = compileScenario(sc, config);
      if (this.compiled.size >= MAX_COMPILED) this.compiled.delete(this.compiled.keys().next().value!);
    } else {
      this.compiled.delete(k);
    }
    // Most recently used last: the first key is the one to evict.
    this.compiled.set(k, c);
    return c;
  }
}
