/**
 * How a plan gets its simulations: every run is a `RunTask` handed to a
 * study `Runner` (worker threads, this thread, or any other implementation
 * of that interface), so the plan never knows where its runs happen. A look
 * sends all its seeds at once; the plan waits for them all, so its course
 * depends on the results only, never on which run finished first.
 */
import type { HistogramJSON } from '../metrics/histogram.js';
import type { RoleScaling } from '../metrics/scaling.js';
import type { MeshConfig } from '../scenario/types.js';
import type { Runner } from '../runner/runner.js';
import type { RunTask } from '../runner/task.js';
import type { PlanMetrics } from '../runner/plan-run.js';
import type { RunAttribution } from './types.js';

/** What a plan simulates: a load multiplier, a configuration, replica counts. */
export interface PlanPoint {
  load: number;
  config: MeshConfig;
  roles: Record<string, number>;
}

/** One run's figures, as a probe needs them. */
export interface PlanRun {
  seed: number;
  p99Ms: number;
  deliveryRatio: number;
  generated: number;
  delivered: number;
  utilization: Record<string, number>;
  costPerDelivered: number;
  /** Per autoscaled role: its replica time and counts (empty when no role autoscales). */
  scaling: Record<string, RoleScaling>;
  histogram: HistogramJSON;
  attribution: RunAttribution | null;
  /** Per priority class (present when the workload names classes). */
  classes?: Record<string, ClassRun>;
}

/** One class's figures in one run. */
export interface ClassRun {
  p99Ms: number;
  generated: number;
  delivered: number;
  histogram: HistogramJSON;
}

/**
 * A run that failed (a worker died, the model threw): the plan stops with its
 * message. `refused`: the run was never started, its estimate being beyond
 * the run limits (`cause` says which and why); the search stops there instead.
 */
export class PlanRunError extends Error {
  override readonly name = 'PlanRunError';
  constructor(
    message: string,
    readonly refused = false,
    override readonly cause: string = message,
  ) {
    super(message);
  }
}

export class PlanRuns {
  /** Runs handed out so far. */
  spent = 0;

  constructor(
    private readonly runner: Runner,
    private readonly scenarioPath: string,
    /** Threshold of a slow message for the attribution (the p99 SLO), or null for none. */
    private readonly slowMs: number | null,
    readonly budget: number,
  ) {}

  /** Runs left in the budget. */
  get left(): number {
    return this.budget - this.spent;
  }

  /** The point simulated on each of `seeds`, all at once. */
  async run(point: PlanPoint, seeds: readonly number[]): Promise<PlanRun[]> {
    this.spent += seeds.length;
    const done = await Promise.all(seeds.map((seed) => this.runner.run(this.task(point, seed))));
    // A refused run was never simulated: it costs nothing.
    this.spent -= done.filter((r) => !r.ok && r.refused === true).length;
    return done.map((r, i) => {
      if (!r.ok) throw new PlanRunError(`run at load × ${point.load} on seed ${seeds[i]} failed: ${r.error}`, r.refused === true, r.error);
      return planRunOf(r.metrics as PlanMetrics);
    });
  }

  private task(point: PlanPoint, seed: number): RunTask {
    return {
      scenarioPath: this.scenarioPath,
      fraction: 1,
      config: withoutCounts(point.config, Object.keys(point.roles)),
      seed,
      ...(point.load !== 1 ? { load: point.load } : {}),
      ...(Object.keys(point.roles).length > 0 ? { roles: point.roles } : {}),
      plan: { slowMs: this.slowMs },
    };
  }
}

function planRunOf(m: PlanMetrics): PlanRun {
  const classes: Record<string, ClassRun> = {};
  for (const [name, c] of Object.entries(m.classes ?? {})) {
    const histogram = m.classHistograms?.[name];
    if (histogram !== undefined) classes[name] = { p99Ms: c.latencyMs.p99, generated: c.generated, delivered: c.delivered, histogram };
  }
  return {
    ...(m.classes !== undefined ? { classes } : {}),
    seed: m.seed,
    p99Ms: m.latencyMs.p99,
    deliveryRatio: m.deliveryRatio,
    generated: m.messages.generated,
    delivered: m.messages.delivered,
    utilization: m.utilization,
    costPerDelivered: m.cost.perDelivered,
    scaling: m.scaling ?? {},
    histogram: m.latencyHistogram,
    attribution: m.attribution,
  };
}

/** A plan's replica count for a role replaces the configuration's (`resources.<role>.count`), which would otherwise win. */
function withoutCounts(config: MeshConfig, roles: readonly string[]): MeshConfig {
  const res = config.resources;
  if (res === undefined || !roles.some((r) => res[r]?.count !== undefined)) return config;
  const out: NonNullable<MeshConfig['resources']> = {};
  for (const [role, r] of Object.entries(res)) {
    if (!roles.includes(role)) out[role] = r;
    else if (r.workers !== undefined) out[role] = { workers: r.workers };
  }
  return { ...config, resources: out };
}
