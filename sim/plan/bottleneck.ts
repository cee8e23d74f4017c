/**
 * The bottleneck of a plan, read from the runs of one probe (where the SLO
 * breaks): each run names the replica holding most of its slow messages in
 * its worst window (attribution.ts); the plan names the culprit most runs
 * agree on — the same role, the same fault, the same kind — since the
 * replica a fault hits can differ from seed to seed.
 */
import { sig } from '../report/units.js';
import { TARGET_UTILIZATION } from './levers.js';
import type { Bottleneck, ReplicaInWindow, RunAttribution } from './types.js';

/** A role's replicas count as equally busy (the role's capacity is the limit) when the least busy is within this share of the busiest. */
export const EVEN_BUSY = 0.8;

export function kindOf(c: ReplicaInWindow): Bottleneck['kind'] {
  if (c.fault !== null && (c.fault.kind === 'slow' || c.fault.kind === 'crash')) return 'replica';
  return c.roleReplicas > 1 && c.roleBusy[0] < EVEN_BUSY * c.roleBusy[1] ? 'replica' : 'role';
}

const keyOf = (c: ReplicaInWindow): string => `${c.role}|${c.fault?.index ?? -1}|${kindOf(c)}`;

export function bottleneckOf(x: number, runs: ReadonlyArray<RunAttribution | null>): Bottleneck | null {
  const named = runs.filter((r): r is RunAttribution & { culprit: ReplicaInWindow; window: NonNullable<RunAttribution['window']> } => r !== null && r.culprit !== null && r.window !== null);
  if (named.length === 0) return null;
  const groups = new Map<string, typeof named>();
  for (const r of named) {
    const k = keyOf(r.culprit);
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  // The largest group; among equals, the first seen (runs come in seed order).
  const group = [...groups.values()].reduce((a, b) => (b.length > a.length ? b : a));
  const rep = group.reduce((a, b) => (b.culprit.slowShare > a.culprit.slowShare ? b : a));
  const kind = kindOf(rep.culprit);
  const b: Bottleneck = {
    x,
    kind,
    culprit: rep.culprit,
    window: { fromMs: rep.window.fromMs, toMs: rep.window.toMs },
    seed: rep.seed,
    agreeing: group.length,
    runs: runs.length,
    perSeed: runs.map((r, i) => ({ seed: r?.seed ?? i, replica: r?.culprit?.replica ?? null })),
    text: '',
  };
  b.text = bottleneckText(b);
  return b;
}

const pct = (x: number): string => `${sig(x * 100)}%`;
const sec = (ms: number): string => sig(ms / 1000);

/** "database#2, slowed ×5 at 25–45 s, is 100% busy and holds 80% of the messages over the SLO …". */
export function bottleneckText(b: Bottleneck): string {
  const c = b.culprit;
  const f = c.fault;
  const fault =
    f === null
      ? ''
      : f.kind === 'slow'
        ? `, slowed ×${sig(f.factor ?? 1)} at ${sec(f.atMs)}–${sec(f.atMs + f.forMs)} s,`
        : f.kind === 'crash'
          ? `, crashed at ${sec(f.atMs)}–${sec(f.atMs + f.forMs)} s,`
          : `, under a ${f.kind} fault at ${sec(f.atMs)}–${sec(f.atMs + f.forMs)} s,`;
  const window = `${sec(b.window.fromMs)}–${sec(b.window.toMs)} s`;
  const queue = `${sig(c.meanQueue)} waiting on average`;
  const agree = `${b.agreeing} of ${b.runs} runs agree`;
  if (b.kind === 'role') {
    const range = pct(c.roleBusy[0]) === pct(c.roleBusy[1]) ? `all ${pct(c.roleBusy[1])}` : `${pct(c.roleBusy[0])}–${pct(c.roleBusy[1])}`;
    const busy = c.roleReplicas > 1 ? `its ${c.roleReplicas} replicas are ${range} busy` : `its replica is ${pct(c.busy)} busy`;
    // Capacity is the limit only where the role is busy: below the share the
    // replica lever sizes a role for, adding replicas would not shorten the
    // time the messages spend there.
    const why =
      c.roleBusy[1] >= TARGET_UTILIZATION
        ? "the role's capacity is the limit"
        : `not its capacity: the role is under the ${pct(TARGET_UTILIZATION)} busy it is sized for, and more replicas would barely shorten the time messages spend there`;
    return `${c.role}: ${busy} at ${window}${fault ? ` (${fault.slice(2, -1)})` : ''}; ${c.replica} holds ${pct(c.slowShare)} of the messages over the SLO with ${queue}: ${why} (${agree}).`;
  }
  // "While the others are at most …" contrasts only when they are less busy; a sibling as busy is said as such.
  const asBusy = c.siblingsBusy !== null && c.siblingsBusy >= c.busy;
  const others =
    c.siblingsBusy === null
      ? ''
      : (c.othersHit ?? 0) > 0
        ? asBusy
          ? `, and ${c.role} replicas the fault spared are as busy (up to ${pct(c.siblingsBusy)})`
          : ` while the ${c.role} replicas the fault spared are at most ${pct(c.siblingsBusy)} busy`
        : asBusy
          ? `, and other ${c.role} replicas are as busy (up to ${pct(c.siblingsBusy)})`
          : ` while the other ${c.role} replicas are at most ${pct(c.siblingsBusy)} busy`;
  const hit = f !== null && (f.kind === 'slow' || f.kind === 'crash');
  const runs = hit ? `in ${b.agreeing} of ${b.runs} runs the culprit is the replica this fault hits` : agree;
  return `${c.replica}${fault} is ${pct(c.busy)} busy at ${window}${others}, with ${queue}, and holds ${pct(c.slowShare)} of the messages over the SLO (${runs}).`;
}
