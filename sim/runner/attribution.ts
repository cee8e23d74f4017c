/**
 * Where one run's slow messages come from: the worst time window (where the
 * messages over the SLO concentrate) and, in it, the replica that holds most
 * of them, how busy it is, its queue and the fault active on it. Pure: it
 * reads the per-replica tallies a plan's run records (metrics/ReplicaDetail).
 */
import type { ReplicaDetail } from '../metrics/replica-detail.js';
import type { CompiledScenario } from '../model/index.js';
import type { FaultSpec } from '../scenario/types.js';

/** A bucket belongs to the worst window when it has at least this share of the peak bucket's slow messages. */
const WINDOW_SHARE_OF_PEAK = 0.25;
/** Quieter buckets in a row that a window bridges (slow messages come in bursts). */
const WINDOW_GAP_BUCKETS = 2;
/** When the worst window holds less than this share of the slow messages, the window is the whole measured run. */
const SPREAD_OUT = 0.5;

export function attributeRun(d: ReplicaDetail, model: CompiledScenario, seed: number): RunAttribution {
  const sc = model.scenario;
  const first = d.at(sc.warmup);
  let total = 0;
  let peak = first;
  for (let b = first; b < d.buckets; b++) {
    total += d.slowAll[b]!;
    if (d.slowAll[b]! > d.slowAll[peak]!) peak = b;
  }
  const none: RunAttribution = { seed, slowMs: d.slowMs, slowMessages: total, window: null, culprit: null, busiest: null };
  if (total === 0) return none;
  let [b0, b1] = worstWindow(d.slowAll, first, peak);
  let inWindow = 0;
  for (let b = b0; b <= b1; b++) inWindow += d.slowAll[b]!;
  if (inWindow < SPREAD_OUT * total) {
    // No window holds most of them: the slow messages are spread over the run (a steady overload).
    b0 = first;
    b1 = lastWith(d.slowAll, first);
  }
  const fromMs = b0 * d.bucketMs;
  const toMs = (b1 + 1) * d.bucketMs;
  const widthMs = toMs - fromMs;
  let slowInWindow = 0;
  for (let b = b0; b <= b1; b++) slowInWindow += d.slowAll[b]!;

  const sum = (cells: Float64Array, a: number): number => {
    let s = 0;
    const row = a * d.buckets;
    for (let b = b0; b <= b1; b++) s += cells[row + b]!;
    return s;
  };
  const busy = new Float64Array(model.n);
  const slow = new Float64Array(model.n);
  let culprit = 0;
  let busiest = 0;
  for (let a = 0; a < model.n; a++) {
    const role = model.roles[model.roleOf[a]!]!;
    busy[a] = sum(d.busyMs, a) / (role.workers * widthMs);
    slow[a] = sum(d.slow, a);
    if (slow[a]! > slow[culprit]! || (slow[a] === slow[culprit] && busy[a]! > busy[culprit]!)) culprit = a;
    if (busy[a]! > busy[busiest]!) busiest = a;
  }
  const describe = (a: number): ReplicaInWindow => {
    const role = model.roles[model.roleOf[a]!]!;
    const fault = faultOn(a, role.name, sc.faults, d.victims, fromMs, toMs);
    // The siblings it is compared with are those its fault spared: the
    // other replicas a slowdown hit are as busy as it is.
    const hitToo = fault !== null && (fault.kind === 'slow' || fault.kind === 'crash') ? (d.victims[fault.index] ?? null) : null;
    let lo = Infinity;
    let hi = -Infinity;
    let siblings = -Infinity;
    let othersHit = 0;
    for (let k = role.first; k < role.first + role.count; k++) {
      lo = Math.min(lo, busy[k]!);
      hi = Math.max(hi, busy[k]!);
      if (k === a) continue;
      if (hitToo !== null && hitToo.includes(k)) othersHit++;
      else siblings = Math.max(siblings, busy[k]!);
    }
    return {
      replica: `${role.name}#${a - role.first}`,
      role: role.name,
      busy: busy[a]!,
      meanQueue: sum(d.waitMs, a) / widthMs,
      slowShare: slowInWindow > 0 ? slow[a]! / slowInWindow : 0,
      roleBusy: [lo, hi],
      siblingsBusy: role.count - 1 > othersHit ? siblings : null,
      othersHit,
      roleReplicas: role.count,
      fault,
    };
  };
  return {
    ...none,
    window: { fromMs, toMs, slowMessages: slowInWindow },
    culprit: slow[culprit]! > 0 ? describe(culprit) : null,
    busiest: describe(busiest),
  };
}

/**
 * The window around the peak bucket: it grows over neighbouring buckets with
 * at least WINDOW_SHARE_OF_PEAK of the peak's slow messages, bridging up to
 * WINDOW_GAP_BUCKETS quieter ones. A steady overload spreads slow messages
 * over the whole run, and the window is then the whole run.
 */
export function worstWindow(slowAll: ArrayLike<number>, first: number, peak: number): [number, number] {
  const bar = WINDOW_SHARE_OF_PEAK * slowAll[peak]!;
  let lo = peak;
  let hi = peak;
  for (let b = peak + 1; b < slowAll.length && b - hi <= WINDOW_GAP_BUCKETS + 1; b++) if (slowAll[b]! >= bar) hi = b;
  for (let b = peak - 1; b >= first && lo - b <= WINDOW_GAP_BUCKETS + 1; b--) if (slowAll[b]! >= bar) lo = b;
  return [lo, hi];
}

/** The last bucket from `first` with a slow message. */
function lastWith(slowAll: ArrayLike<number>, first: number): number {
  for (let b = slowAll.length - 1; b > first; b--) if (slowAll[b]! > 0) return b;
  return first;
}

/** The fault active on agent `a` during [fromMs, toMs): one that hit it, cut its role off, or degraded every link. */
function faultOn(
  a: number,
  role: string,
  faults: readonly FaultSpec[],
  victims: ReadonlyArray<Int32Array | null>,
  fromMs: number,
  toMs: number,
): FaultOnReplica | null {
  let network: FaultOnReplica | null = null;
  for (let i = 0; i < faults.length; i++) {
    const f = faults[i]!;
    if (!(f.at < toMs && f.at + f.for > fromMs)) continue;
    const note: FaultOnReplica = { index: i, kind: f.kind, factor: f.kind === 'slow' || f.kind === 'latency' ? f.factor : null, atMs: f.at, forMs: f.for };
    if (f.kind === 'crash' || f.kind === 'slow') {
      if (victims[i]?.includes(a)) return note;
    } else if (network === null && (f.kind !== 'partition' || f.between.some((side) => side.includes(role)))) {
      network = note;
    }
  }
  return network;
}

/** A fault as it touched a replica. */
export interface FaultOnReplica {
  /** Index in the scenario's `faults`. */
  index: number;
  kind: 'crash' | 'slow' | 'partition' | 'loss' | 'latency';
  /** Service-time (slow) or link-latency (latency) multiplier. */
  factor: number | null;
  atMs: number;
  forMs: number;
}

/** One replica in a time window of one run. */
export interface ReplicaInWindow {
  /** `role#i`. */
  replica: string;
  role: string;
  /** Busy fraction of its worker slots in the window, 0..1. */
  busy: number;
  /** Time-average number of messages waiting in its buffer in the window. */
  meanQueue: number;
  /** Share of the window's messages over the SLO that stayed longest at this replica, 0..1. */
  slowShare: number;
  /** Least and most busy replica of its role in the window (a role-wide limit when they are close). */
  roleBusy: [number, number];
  /** Busy fraction of the busiest other replica of its role that its fault spared (null when there is none). */
  siblingsBusy: number | null;
  /** Other replicas of its role that its (slow or crash) fault hit too (absent: none, as older plans wrote it). */
  othersHit?: number;
  roleReplicas: number;
  /** A fault active on it during the window. */
  fault: FaultOnReplica | null;
}

/** Where one run's slow messages come from. */
export interface RunAttribution {
  seed: number;
  /** Threshold of a slow message, ms (the p99 SLO). */
  slowMs: number;
  /** Measured messages delivered over `slowMs` in the run. */
  slowMessages: number;
  /** The worst time window: where the slow messages concentrate. */
  window: { fromMs: number; toMs: number; slowMessages: number } | null;
  /** The replica holding the largest share of the window's slow messages. */
  culprit: ReplicaInWindow | null;
  /** The busiest replica in the window (often the culprit). */
  busiest: ReplicaInWindow | null;
}
