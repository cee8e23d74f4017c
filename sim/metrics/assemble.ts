import type { CostSpec } from '../scenario/types.js';
import { classMetrics, latencySummary } from './classes.js';
import { LOST_KEYS, type RawRun } from './counters.js';
import { computeCost } from './cost.js';
import { roleScaling, type RoleScaling } from './scaling.js';
import { timelineData } from './timeline.js';
import type { EngineStats, LostCounts, Metrics } from './types.js';

/** What the metrics need to know about the run besides its tallies. */
export interface RunContext {
  scenario: string;
  seed: number;
  config: unknown;
  roles: ReadonlyArray<{ name: string; count: number; workers: number }>;
  warmupMs: number;
  durationMs: number;
  cost: CostSpec;
}

/**
 * Shapes one run's tallies into the metrics of SPEC §6; with `withTimeline`,
 * adds the per-bucket `timeline` (an extension of §6 for reports and charts).
 */
export function assembleMetrics(raw: RawRun, ctx: RunContext, engine: EngineStats, withTimeline = false): Metrics {
  const c = raw.counters;
  const windowMs = Math.max(0, ctx.durationMs - ctx.warmupMs);
  const lost = {} as LostCounts;
  LOST_KEYS.forEach((k, i) => (lost[k] = c.lost[i + 1]!));
  // An autoscaled role's capacity is the replica time it served, not its laid-out count.
  const scaled = new Map(raw.scaling.map((t) => [t.role, t]));
  const utilization: Record<string, number> = {};
  ctx.roles.forEach((r, i) => {
    const t = scaled.get(i);
    const capacityMs = t === undefined ? r.count * r.workers * windowMs : t.servingMs * r.workers;
    utilization[r.name] = capacityMs > 0 ? c.busyMs[i]! / capacityMs : 0;
  });
  const agents = ctx.roles.reduce((s, r) => s + r.count, 0);
  let slotMs = 0;
  let agentMs = 0;
  ctx.roles.forEach((r, i) => {
    const replicaMs = scaled.get(i)?.runningMs ?? r.count * windowMs;
    agentMs += replicaMs;
    slotMs += replicaMs * r.workers;
  });
  const scaling: Record<string, RoleScaling> = {};
  for (const t of raw.scaling) scaling[ctx.roles[t.role]!.name] = roleScaling(t, windowMs);
  return {
    scenario: ctx.scenario,
    seed: ctx.seed,
    replications: 1,
    config: ctx.config,
    messages: {
      generated: c.generated,
      sent: c.sent,
      transmissions: c.transmissions,
      delivered: c.delivered,
      duplicates: c.duplicates,
      lost,
    },
    deliveryRatio: c.generated > 0 ? c.delivered / c.generated : 1,
    latencyMs: latencySummary(c.latency),
    ...(c.classes !== null ? { classes: classMetrics(c.classes) } : {}),
    throughputPerSec: windowMs > 0 ? (c.delivered * 1000) / windowMs : 0,
    cost: computeCost(ctx.cost, {
      transmissions: c.transmissions,
      wireBytes: c.wireBytes,
      cpuMs: c.cpuMs,
      tokensIn: c.tokensIn,
      tokensOut: c.tokensOut,
      agents,
      windowMs,
      delivered: c.delivered,
      slotMs,
      ...(raw.scaling.length > 0 ? { agentMs } : {}),
    }),
    retries: c.retries,
    hedges: c.hedges,
    breakerOpens: raw.breakerOpens,
    utilization,
    ...(raw.scaling.length > 0 ? { scaling } : {}),
    engine,
    ...(withTimeline ? { timeline: timelineData(c.timeline, ctx.roles, raw.scaling) } : {}),
  };
}
