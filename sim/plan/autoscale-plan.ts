/**
 * The plan of an autoscaled role (`plan --role R` when the configuration
 * autoscales R): which target, min and max keep the SLOs at the lowest
 * replica-hours.
 *
 * Replica-hours fall as the target rises (each replica runs busier), and the
 * SLOs hold up to some target: the answer is the highest target shown to
 * meet them. The target is searched by bisection between a low and a high
 * end (linear for a utilisation, geometric for a queue length) with the
 * plan's verdicts (decision intervals over seeds), under bounds that do not
 * bind — min 1 and a max well above the configuration's — so the target
 * alone decides. The min and max proposed are then the fewest and most
 * replicas the runs at that target used, and that autoscaler is probed once
 * more to confirm it. The configuration's own autoscaler is probed first;
 * the recommendation is whichever shown to meet the SLOs used the fewest
 * replica-hours — the configuration's own when nothing beats it.
 */
import type { AutoscaleConfig, MeshConfig, Scenario } from '../scenario/types.js';
import { mean } from '../metrics/stats.js';
import { resolveAutoscale } from '../policies/autoscale/index.js';
import { sig } from '../report/units.js';
import { halfWidth } from './load-search.js';
import type { Prober, ProbeRecord } from './prober.js';
import type { Probe } from './types.js';

/** An autoscaler as probed: its setting, its verdict and the replica time its runs used. */
export interface AutoscaleCandidate {
  autoscale: AutoscaleConfig;
  probe: Probe;
  /** Mean over the probe's seeds. */
  replicaHours: number;
  /** Fewest and most replicas running in any of its seeds. */
  minReplicas: number;
  maxReplicas: number;
}

export interface AutoscalePlan {
  role: string;
  /** [highest target shown to meet, lowest target above it not shown to]; an end is null when none was. */
  interval: [number | null, number | null];
  metric: 'utilization' | 'queue';
  /** The bounds of the search: min 1 and this max. */
  searchMax: number;
  /** The target range searched. */
  targetRange: [number, number];
  /** The configuration's own autoscaler. */
  current: AutoscaleCandidate | null;
  /** The target, min and max recommended; null when no target is shown to meet the SLOs. */
  recommended: AutoscaleCandidate | null;
  /** True when the recommendation is the configuration's own autoscaler (nothing tried used fewer replica-hours). */
  keepCurrent: boolean;
  /** The target search's best, with min and max as its runs used (the recommendation unless `keepCurrent`). */
  proposed: AutoscaleCandidate | null;
  /** Replica-hours saved against the configuration's autoscaler (negative: it costs more), when both were measured. */
  savedReplicaHours: number | null;
  /** When no target met the SLOs from min 1: the fewest replicas kept (min, at the configuration's target) shown to meet them. */
  minFound?: number;
}

/** Targets are rounded to this many significant digits. */
const TARGET_DIGITS = 3;
const roundTarget = (x: number): number => Number(x.toPrecision(TARGET_DIGITS));

/** The utilisation targets searched. */
export const UTILIZATION_RANGE: [number, number] = [0.1, 0.95];
/** A queue-length target is searched within this factor either side of the configuration's. */
const QUEUE_SPREAD = 8;

export function targetRange(a: AutoscaleConfig, current: number): [number, number] {
  return (a.metric ?? 'utilization') === 'utilization' ? UTILIZATION_RANGE : [roundTarget(current / QUEUE_SPREAD), roundTarget(current * QUEUE_SPREAD)];
}

/** The search's max: the role's scale bound when it has one, else twice the configuration's max (at least +4). */
export function searchMaxOf(sc: Scenario, role: string, a: AutoscaleConfig): number {
  const bound = sc.roles.find((r) => r.name === role)?.scale?.count?.[1];
  return Math.max(a.max, bound ?? Math.max(2 * a.max, a.max + 4));
}

function candidateOf(role: string, autoscale: AutoscaleConfig, rec: ProbeRecord): AutoscaleCandidate {
  const per = rec.runs.map((r) => r.scaling[role]);
  return {
    autoscale,
    probe: rec.probe,
    replicaHours: mean(per.map((s) => s?.replicaHours ?? NaN)),
    minReplicas: Math.min(...per.map((s) => s?.minReplicas ?? NaN)),
    maxReplicas: Math.max(...per.map((s) => s?.maxReplicas ?? NaN)),
  };
}

export interface AutoscalePlanInput {
  scenario: Scenario;
  config: MeshConfig;
  role: string;
  load: number;
  prober: Prober;
  precision: number;
  notes: string[];
  onProbe?: (p: Probe) => void;
}

/** The plan; also returns every probe of the target search (x = target). */
export async function planAutoscaler(input: AutoscalePlanInput): Promise<{ plan: AutoscalePlan; probes: Probe[] }> {
  const { config, role, prober, notes } = input;
  const current = config.autoscale?.[role];
  if (current === undefined) throw new Error(`the configuration does not autoscale ${role}`);
  const metric = current.metric ?? 'utilization';
  const target0 = resolveAutoscale(current).target;
  const [lo, hi] = targetRange(current, target0);
  const searchMax = searchMaxOf(input.scenario, role, current);
  const withAutoscale = (a: AutoscaleConfig): MeshConfig => ({ ...config, autoscale: { ...config.autoscale, [role]: a } });
  const probeAt = async (a: AutoscaleConfig, x: number): Promise<ProbeRecord | null> => {
    const rec = await prober.probe(x, { load: input.load, config: withAutoscale(a), roles: {} });
    if (rec !== null) input.onProbe?.(rec.probe);
    return rec;
  };
  const searching = (target: number): AutoscaleConfig => ({ ...current, target, min: 1, max: searchMax });
  const mine = await probeAt(current, target0);
  const currentCandidate = mine === null ? null : candidateOf(role, current, mine);

  // Bisection: `meets` the highest target shown to meet, `fails` the lowest above it not shown to.
  const records: ProbeRecord[] = [];
  const ends: { meets: ProbeRecord | null; fails: ProbeRecord | null } = { meets: null, fails: null };
  const step = async (target: number): Promise<ProbeRecord | null> => {
    const rec = await probeAt(searching(target), target);
    if (rec === null) {
      notes.push(`the budget ran out while the target was searched`);
      return null;
    }
    records.push(rec);
    if (rec.probe.verdict === 'meets') {
      if (ends.meets === null || target > ends.meets.probe.x) ends.meets = rec;
    } else if (ends.fails === null || target < ends.fails.probe.x) {
      ends.fails = rec;
    }
    return rec;
  };
  const top = await step(hi);
  if (top !== null && top.probe.verdict !== 'meets') {
    const bottom = await step(lo);
    if (bottom !== null && bottom.probe.verdict === 'meets') {
      for (;;) {
        const a = ends.meets!;
        const b = ends.fails!;
        if (halfWidth(a.probe.x, b.probe.x) <= input.precision) break;
        const mid = roundTarget(metric === 'utilization' ? (a.probe.x + b.probe.x) / 2 : Math.sqrt(a.probe.x * b.probe.x));
        if (mid <= a.probe.x || mid >= b.probe.x) break;
        if ((await step(mid)) === null) break;
      }
    } else if (bottom !== null) {
      notes.push(`no ${metric} target down to ${lo} is shown to meet the SLOs from min 1 with up to ${searchMax} replicas of ${role}`);
    }
  } else if (top !== null) {
    notes.push(`even the highest target searched (${hi}) meets the SLOs`);
  }

  let proposed: AutoscaleCandidate | null = null;
  // No target meets from one replica: the tail is the scaling up itself (the
  // start-up or provisioning delay while load outgrows the replicas), which
  // only a floor fixes. The fewest replicas kept (min) at the configuration's
  // target is searched then.
  const floor = ends.meets === null && ends.fails !== null && ends.fails.probe.x <= lo ? await searchMin(current, target0, searchMax, probeAt, notes, role) : null;
  if (floor !== null) proposed = candidateOf(role, floor.autoscale, floor.rec);
  const best = ends.meets;
  if (best !== null) {
    const found = candidateOf(role, searching(best.probe.x), best);
    if (found.maxReplicas >= searchMax) notes.push(`at the target found the runs reached the search's max of ${searchMax} replicas: ${role} may need more`);
    const tight: AutoscaleConfig = { ...current, target: best.probe.x, min: Math.max(1, found.minReplicas), max: Math.max(1, found.maxReplicas) };
    const confirm = await probeAt(tight, best.probe.x);
    if (confirm !== null && confirm.probe.verdict === 'meets') {
      proposed = candidateOf(role, tight, confirm);
    } else {
      notes.push(`min ${tight.min} and max ${tight.max} at target ${tight.target} were not shown to meet the SLOs on their own: the proposal keeps the search's bounds`);
      proposed = found;
    }
  }
  const currentMeets = currentCandidate !== null && currentCandidate.probe.verdict === 'meets';
  const keepCurrent = currentMeets && (proposed === null || currentCandidate.replicaHours <= proposed.replicaHours);
  const recommended = keepCurrent ? currentCandidate : proposed;
  if (keepCurrent && proposed !== null) {
    notes.push(`the configuration's autoscaler meets the SLOs with fewer replica-hours than the target found (${sig(proposed.replicaHours)} at ${proposed.autoscale.target}): keep it`);
  }
  return {
    plan: {
      role,
      ...(floor !== null ? { minFound: floor.autoscale.min! } : {}),
      interval: [ends.meets?.probe.x ?? null, ends.fails?.probe.x ?? null],
      metric,
      searchMax,
      targetRange: [lo, hi],
      current: currentCandidate,
      recommended,
      keepCurrent,
      proposed,
      savedReplicaHours: currentCandidate !== null && recommended !== null ? currentCandidate.replicaHours - recommended.replicaHours : null,
    },
    probes: records.map((r) => r.probe).sort((a, b) => a.x - b.x),
  };
}

/**
 * The fewest replicas to keep (`min`) at `target`, up to `max`, shown to meet
 * the SLOs: doubling from the configuration's min until a probe meets, then
 * bisection between the last that did not and the first that did. Null when
 * not even `max` is shown to, or the budget runs out.
 */
async function searchMin(
  current: AutoscaleConfig,
  target: number,
  max: number,
  probeAt: (a: AutoscaleConfig, x: number) => Promise<ProbeRecord | null>,
  notes: string[],
  role: string,
): Promise<{ autoscale: AutoscaleConfig; rec: ProbeRecord } | null> {
  const at = (min: number): AutoscaleConfig => ({ ...current, target, min, max });
  let fails = Math.max(1, current.min ?? 1);
  let meets: { min: number; rec: ProbeRecord } | null = null;
  for (let min = Math.min(max, Math.max(2, 2 * fails)); ; min = Math.min(max, 2 * min)) {
    const rec = await probeAt(at(min), target);
    if (rec === null) return null;
    if (rec.probe.verdict === 'meets') {
      meets = { min, rec };
      break;
    }
    fails = min;
    if (min >= max) break;
  }
  if (meets === null) {
    notes.push(`no min up to ${max} replicas of ${role} at target ${target} is shown to meet the SLOs either`);
    return null;
  }
  while (meets.min - fails > 1) {
    const mid = Math.floor((fails + meets.min) / 2);
    const rec = await probeAt(at(mid), target);
    if (rec === null) break;
    if (rec.probe.verdict === 'meets') meets = { min: mid, rec };
    else fails = mid;
  }
  notes.push(
    `no target alone meets the SLOs from one replica: the tail comes from scaling up (the load outgrows the replicas before new ones are ready), which a floor fixes — min ${meets.min} at the configuration's target ${target} is shown to meet them`,
  );
  return { autoscale: at(meets.min), rec: meets.rec };
}
