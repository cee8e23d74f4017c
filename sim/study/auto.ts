/**
 * Mode `auto`: reads the workload and picks the mode it calls for, with the
 * reasons in plain words.
 *
 * The profile: offered load per role, ρ = λ · visits · E[S] / (count ·
 * workers) (the utilisation law; λ the mean arrival rate of each workload
 * entry, visits how often its pipeline passes the role, E[S] the role's mean
 * service time, tokens included), burstiness (an MMPP's burst rate over its
 * base rate), request sizes, the faults the scenario injects, and — from a
 * short baseline run of the current configuration — the share of cost spent
 * on LLM tokens and whether the SLOs already hold.
 *
 * The rule, in order — what is broken first, then what costs: when the
 * baseline misses the delivery SLO (or a class's), reliability mode; when it
 * misses the p99 SLO (or a class's), performance mode; when tokens are most of the cost, cost mode (tokens
 * dominate the bill, and retries and hedges on an LLM pool pay them again;
 * SLOs stay as constraints); else, when the scenario injects faults that
 * lose messages (crashes, partitions, loss) or its links lose messages,
 * reliability mode; else, when every SLO holds with room to spare (p99 under
 * ROOM of its bound, class bounds too) and the scenario prices what it runs,
 * cost mode, unless slowdowns, bursts and overload together make latency the
 * concern; else performance mode (slowdowns and latency faults count for
 * latency). Each concern gets a score (tiered so that the rule's order holds)
 * and the weights are the normalised scores.
 */
import { pathMs } from '../scenario/steps.js';
import { Sampler } from '../engine/distributions.js';
import type { RoleSpec, Scenario, WorkloadSpec } from '../scenario/types.js';
import { classSloMisses, DEFAULT_DELIVERY_SLO, type Weights } from './objective.js';
import type { Mode, Outcome } from './types.js';

export interface RoleLoad {
  role: string;
  /** Offered load from the scenario's figures (mean over the run); null when unknown (traces). */
  offered: number | null;
  /** Offered load during bursts (bursty entries at their burst rate). */
  peak: number | null;
  /** Busy fraction measured in the baseline run. */
  measured: number | null;
}

export interface WorkloadProfile {
  roles: RoleLoad[];
  /** The most loaded role and its load (offered, else measured). */
  bottleneck: { role: string; load: number } | null;
  /** Largest burst rate / base rate over bursty entries; 1 when none. */
  burstiness: number;
  /** Mean request size over entries, weighted by rate, bytes. */
  meanMessageBytes: number;
  faults: string[];
  linkLoss: number;
  /** Share of the baseline's cost spent on tokens, 0..1 (0 when nothing costs). */
  tokenCostShare: number;
  /**
   * The baseline run's figures; `classesHold`: every class SLO met, each
   * class p99 under ROOM of its bound (true when there are none).
   */
  baseline: {
    p99: number;
    deliveryRatio: number;
    costPerDelivered: number;
    classesHold: boolean;
    /** Class SLOs the run misses, as `<class> p99` / `<class> delivery`. */
    classesMissed: { p99: string[]; delivery: string[] };
    /** The run the figures come from, as the reasons name it ("a screening run (33% of the timeline, one seed)"). */
    seenIn: string;
  } | null;
}

export interface AutoDecision {
  mode: Mode;
  weights: Weights;
  reasons: string[];
  profile: WorkloadProfile;
}

const meanOf = (spec: ConstructorParameters<typeof Sampler>[0]): number => new Sampler(spec).mean;

/** Mean service time of a role, ms (token-priced services at their mean token counts). */
export function meanServiceMs(role: RoleSpec): number {
  const s = role.service;
  if (s.dist === 'tokens') {
    const tin = role.tokens ? meanOf(role.tokens.in) : 0;
    const tout = role.tokens ? meanOf(role.tokens.out) : 0;
    return s.base + tin * s.perTokenIn + tout * s.perTokenOut;
  }
  return meanOf(s);
}

/** Mean arrival rate of an entry over the run, per second; null when the scenario does not say (traces). */
export function meanRate(w: WorkloadSpec, sc: Scenario): number | null {
  const window = Math.max(0, Math.min(w.stop, sc.duration) - w.start) / sc.duration;
  switch (w.pattern) {
    case 'poisson':
      return w.rate * window;
    case 'bursty':
      return ((w.rate * w.meanGap + w.burstRate * w.meanBurst) / (w.meanGap + w.meanBurst)) * window;
    case 'diurnal': {
      if (w.table.length === 0) return w.rate * window;
      let area = 0;
      w.table.forEach((row, i) => {
        const end = w.table[i + 1]?.at ?? sc.duration;
        area += row.rate * Math.max(0, Math.min(end, sc.duration) - row.at);
      });
      return (area / sc.duration) * window;
    }
    case 'closed': {
      const service = pathMs(w, (r) => meanServiceMs(sc.roles.find((x) => x.name === r)!));
      return ((w.clients * 1000) / Math.max(1e-9, meanOf(w.think) + service)) * window;
    }
    case 'trace':
      return null;
  }
}

function peakRate(w: WorkloadSpec, sc: Scenario): number | null {
  if (w.pattern === 'bursty') return w.burstRate;
  if (w.pattern === 'diurnal') return w.table.length > 0 ? Math.max(...w.table.map((r) => r.rate)) : w.rate * (1 + w.amplitude);
  return meanRate(w, sc);
}

/**
 * The scenario's figures, with `baseline` from a run of the current
 * configuration on `screen` (the share of the timeline it simulated and its
 * seeds: the reasons say so, a compressed run's tail being no full run's).
 */
export function profileWorkload(sc: Scenario, baseline: Outcome | null, screen: { fraction: number; seeds: number } = { fraction: 1, seeds: 1 }): WorkloadProfile {
  const rates = sc.workload.map((w) => meanRate(w, sc));
  const peaks = sc.workload.map((w) => peakRate(w, sc));
  const roles: RoleLoad[] = sc.roles.map((role) => {
    const capacity = (role.count * role.workers * 1000) / meanServiceMs(role); // services per second
    let offered: number | null = 0;
    let peak: number | null = 0;
    sc.workload.forEach((w, i) => {
      const stages = [w.to, ...w.then];
      let visits = stages.filter((s) => s === role.name).length;
      if (w.fanout !== null && w.to === role.name) visits += w.fanout.count - 1;
      if (visits === 0) return;
      const r = rates[i]!;
      const p = peaks[i]!;
      offered = offered === null || r === null ? null : offered + (r * visits) / capacity;
      peak = peak === null || p === null ? null : peak + (p * visits) / capacity;
    });
    const measured = baseline?.utilization[role.name] ?? null;
    return { role: role.name, offered, peak, measured };
  });
  let bottleneck: WorkloadProfile['bottleneck'] = null;
  for (const r of roles) {
    const load = r.offered ?? r.measured;
    if (load !== null && (bottleneck === null || load > bottleneck.load)) bottleneck = { role: r.role, load };
  }
  const burstiness = Math.max(1, ...sc.workload.map((w) => (w.pattern === 'bursty' && w.rate > 0 ? w.burstRate / w.rate : 1)));
  let wsum = 0;
  let bytes = 0;
  sc.workload.forEach((w, i) => {
    const r = rates[i] ?? 1;
    wsum += r;
    bytes += r * meanOf(w.size);
  });
  const tokenCostShare = baseline !== null && baseline.costTotal > 0 ? baseline.costTokens / baseline.costTotal : 0;
  return {
    roles,
    bottleneck,
    burstiness,
    meanMessageBytes: wsum > 0 ? bytes / wsum : 0,
    faults: sc.faults.map((f) => f.kind),
    linkLoss: sc.links.loss,
    tokenCostShare,
    baseline: baseline && {
      p99: baseline.p99,
      deliveryRatio: baseline.deliveryRatio,
      costPerDelivered: baseline.costPerDelivered,
      classesHold: classesHold(sc, baseline),
      classesMissed: classesMissed(sc, baseline),
      seenIn: screen.fraction < 1
        ? `a screening run (${Math.round(screen.fraction * 100)}% of the timeline, ${screen.seeds === 1 ? 'one seed' : `${screen.seeds} seeds`})`
        : `a baseline run (${screen.seeds === 1 ? 'one seed' : `${screen.seeds} seeds`})`,
    },
  };
}

/** The class SLOs a run misses, by metric. */
function classesMissed(sc: Scenario, o: Outcome): { p99: string[]; delivery: string[] } {
  const misses = classSloMisses(sc.slo.classes, o);
  return {
    p99: misses.filter((x) => x.metric === 'p99').map((x) => `${x.name} p99`),
    delivery: misses.filter((x) => x.metric === 'deliveryRatio').map((x) => `${x.name} delivery`),
  };
}

/** Every class SLO met by the baseline, each class p99 under ROOM of its bound. */
function classesHold(sc: Scenario, baseline: Outcome): boolean {
  return Object.entries(sc.slo.classes ?? {}).every(([name, bound]) => {
    const c = baseline.classes?.[name];
    return c !== undefined && holdsWithRoom(c, bound);
  });
}

/** A delivery ratio at its bound or above, and a p99 under ROOM of its bound (a null bound holds). */
function holdsWithRoom(o: { p99: number; deliveryRatio: number }, bound: { p99: number | null; deliveryRatio: number | null }): boolean {
  return (bound.p99 === null || o.p99 < ROOM * bound.p99) && (bound.deliveryRatio === null || o.deliveryRatio >= bound.deliveryRatio);
}

/** Token share of cost above which cost mode is chosen. */
export const TOKEN_SHARE_FOR_COST = 0.5;
/** A p99 under this share of its SLO holds with room to spare (at or above, it is close to it). */
export const ROOM = 0.8;
/**
 * Cost's score when every SLO holds with room and the scenario has prices:
 * above a latency concern without a missed SLO (0.5, + 0.5 for slowdowns,
 * + 0.2 for bursts; overload as well, 1.4, keeps performance), below faults
 * that lose messages (1.8) or lossy links (1.5).
 */
const ROOMY_COST = 1.25;
/** Link loss above which the links alone call for reliability mode. */
export const LOSSY_LINKS = 1e-3;

/** A share as a percentage with the digits that matter (99.9% vs 99.99%). */
const pct = (x: number): string => {
  const p = x * 100;
  const digits = p >= 99 && p < 100 ? 2 : p < 10 ? 1 : 0;
  return `${Number(p.toFixed(digits))}%`;
};

export function decideMode(sc: Scenario, profile: WorkloadProfile): AutoDecision {
  const reasons: string[] = [];
  const b = profile.bottleneck;
  const overloaded = b !== null && b.load >= 0.85;
  if (b !== null) {
    reasons.push(`busiest role: ${b.role} at ${pct(b.load)} offered load${overloaded ? ' (near or over saturation)' : ''}`);
  }

  // Cost: tokens are most of the bill.
  const share = profile.tokenCostShare;
  const llmOverloaded = overloaded && sc.roles.some((r) => r.name === b?.role && (r.tokens !== null || r.service.dist === 'tokens'));
  let cost = share >= TOKEN_SHARE_FOR_COST ? 2 + share + (llmOverloaded ? 0.5 : 0) : share;
  const seenIn = profile.baseline?.seenIn ?? 'a baseline run';
  if (share > 0) reasons.push(`LLM tokens are ${pct(share)} of the cost in ${seenIn}`);
  if (llmOverloaded) reasons.push(`the LLM role ${b?.role} is overloaded: every retry or hedge there pays its tokens again`);

  // Reliability: faults, lossy links, or deliveries already missing.
  const heavyFaults = profile.faults.filter((k) => k === 'crash' || k === 'partition' || k === 'loss');
  const sloDelivery = sc.slo.deliveryRatio ?? DEFAULT_DELIVERY_SLO;
  const short = profile.baseline !== null && profile.baseline.deliveryRatio < sloDelivery;
  const greyFaults = profile.faults.filter((k) => k === 'slow' || k === 'latency');
  let reliability = 0;
  if (heavyFaults.length > 0) {
    reliability = Math.max(reliability, 1.8);
    reasons.push(`the scenario injects faults that lose messages (${[...new Set(heavyFaults)].join(', ')})`);
  }
  if (profile.linkLoss >= LOSSY_LINKS) {
    reliability = Math.max(reliability, 1.5);
    reasons.push(`links lose ${pct(profile.linkLoss)} of transmissions`);
  }
  if (short) {
    reliability = Math.max(reliability, 5);
    reasons.push(`in ${seenIn} the current configuration delivers ${pct(profile.baseline!.deliveryRatio)}, below the ${pct(sloDelivery)} delivery SLO`);
  }
  // A class's delivery bound missed counts as the global one does.
  const classShort = profile.baseline?.classesMissed.delivery ?? [];
  if (classShort.length > 0) {
    reliability = Math.max(reliability, 5);
    reasons.push(`in ${seenIn} the current configuration misses the ${classShort.join(' and ')} SLO`);
  }

  // Performance: the default concern, stronger when latency is tight, load high or arrivals bursty.
  let latency = 0.5;
  if (greyFaults.length > 0) {
    latency += 0.5;
    reasons.push(`the scenario injects slowdowns (${[...new Set(greyFaults)].join(', ')}), which hurt latency more than delivery`);
  }
  const baseP99 = profile.baseline?.p99 ?? null;
  const missedGlobalP99 = sc.slo.p99 !== null && baseP99 !== null && baseP99 > sc.slo.p99;
  const classSlow = profile.baseline?.classesMissed.p99 ?? [];
  const missedP99 = missedGlobalP99 || classSlow.length > 0;
  if (missedP99) {
    // A missed latency SLO, a class's too, outranks a token bill (cost scores at most 3.5).
    latency += 3.5;
    if (missedGlobalP99) reasons.push(`in ${seenIn} the current configuration's p99 is ${Math.round(baseP99!)} ms, over the ${Math.round(sc.slo.p99!)} ms SLO`);
    if (classSlow.length > 0) reasons.push(`in ${seenIn} the current configuration misses the ${classSlow.join(' and ')} SLO`);
  } else if (sc.slo.p99 !== null && profile.baseline !== null && profile.baseline.p99 >= ROOM * sc.slo.p99) {
    latency += 0.3;
    reasons.push(`in ${seenIn} the current configuration's p99 is ${Math.round(profile.baseline.p99)} ms, close to the ${Math.round(sc.slo.p99)} ms SLO`);
  }
  if (overloaded) latency += 0.2;
  if (profile.burstiness >= 3) {
    latency += 0.2;
    reasons.push(`arrivals are bursty (bursts at ${profile.burstiness.toFixed(1)}× the base rate)`);
  }
  if (profile.meanMessageBytes >= 64 * 1024) reasons.push(`messages are large (mean ${Math.round(profile.meanMessageBytes / 1024)} KB): batching and compression matter`);

  // Nothing broken and a bill to pay: every SLO holds with room to spare in
  // the baseline, and the scenario prices what it runs. Lowering the bill
  // under the SLOs is then the study worth running; latency bought beyond a
  // met SLO (a hedge on every message, say) would be paid for twice over.
  let roomy = false;
  const base = profile.baseline;
  if (base !== null && base.costPerDelivered > 0 && base.classesHold && holdsWithRoom(base, { p99: sc.slo.p99, deliveryRatio: sloDelivery })) {
    roomy = true;
    cost = Math.max(cost, ROOMY_COST);
    reasons.push(
      sc.slo.p99 === null
        ? `in ${seenIn} the current configuration meets the ${pct(sloDelivery)} delivery SLO, there is no p99 SLO, and the scenario prices what it runs`
        : `in ${seenIn} the current configuration meets every SLO with room to spare (p99 ${Math.round(base.p99)} ms against ${Math.round(sc.slo.p99)} ms), and the scenario prices what it runs`,
    );
  }

  const scores: Record<Mode, number> = { performance: latency, reliability, cost };
  const mode = (['cost', 'reliability', 'performance'] as const).reduce((best, m) => (scores[m] > scores[best] ? m : best), 'performance' as Mode);
  const total = latency + reliability + cost;
  const weights: Weights = { latency: latency / total, loss: reliability / total, cost: cost / total };
  const why: Record<Mode, string> = {
    cost: roomy && share < TOKEN_SHARE_FOR_COST
      ? 'cost mode: nothing to fix, so minimise cost per delivered message, keeping the p99 and delivery SLOs as constraints'
      : 'cost mode: minimise cost per delivered message, keeping the p99 and delivery SLOs as constraints',
    reliability: `reliability mode: maximise the delivery ratio${profile.faults.length > 0 ? ' under the faults' : ''}, keeping the p99 SLO as a constraint`,
    performance: missedP99
      ? 'performance mode: the current configuration misses the p99 SLO, so minimise p99 latency with the delivery SLO as a constraint'
      : 'performance mode: no fault, loss or token cost dominates, so minimise p99 latency with the delivery SLO as a constraint',
  };
  reasons.push(`→ ${why[mode]}`);
  return { mode, weights, reasons, profile };
}
