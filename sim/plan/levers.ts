/**
 * Levers against a bottleneck, each checked by simulation before one is
 * recommended: retries against the roles' errors, more replicas of the role,
 * outlier ejection, a hedge, another balancer. Every lever is a change merged over the plan's configuration (or
 * new replica counts), run at the lever load with the same sequential
 * decision rule as a probe, so "it fixes the SLO" means its interval lies
 * inside the SLO, not that one seed was lucky.
 */
import { mergeConfig } from '../scenario/config.js';
import type { MeshConfig, Scenario } from '../scenario/types.js';
import { fmtMs, sig } from '../report/units.js';
import type { Prober, ProbeRecord } from './prober.js';
import type { Bottleneck, LeverKind, LeverResult, PlanResult, PlanSlo, Probe } from './types.js';

/** Busy share a role is sized for when replicas are added: room for bursts and faults. */
export const TARGET_UTILIZATION = 0.7;
/** Envoy's outlier-detection defaults: 5 consecutive errors, 30 s ejection, 10% of the hosts (at least one). */
const OUTLIER = { consecutiveErrors: 5, ejectFor: 30_000, maxEjected: 0.1 };
/** Balancers that see load or latency, the levers against one slow replica. */
const AWARE_BALANCERS = ['least-request', 'p2c', 'peak-ewma'] as const;

export interface LeverPlan {
  kind: LeverKind;
  label: string;
  config: MeshConfig;
  roles: Record<string, number>;
}

/** The tightest of one bound over the global SLOs and every class's; null when none sets it. */
function tightest(slo: PlanSlo, key: 'p99Ms' | 'deliveryRatio', tighter: (a: number, b: number) => boolean): number | null {
  let bound = slo[key];
  for (const c of Object.values(slo.classes ?? {})) {
    const v = c[key];
    if (v !== null && (bound === null || tighter(v, bound))) bound = v;
  }
  return bound;
}

/** The tightest p99 bound, global or of a class: what a timeout or a hedge must serve. */
export const tightestP99 = (slo: PlanSlo): number | null => tightest(slo, 'p99Ms', (a, b) => a < b);

/** The tightest delivery bound, global or of a class. */
const tightestDelivery = (slo: PlanSlo): number | null => tightest(slo, 'deliveryRatio', (a, b) => a > b);

/** Some traffic waits for answers (request–reply, or trace rows that ask for one): errors reach a caller who may retry. */
export function waitsForAnswers(scenario: Scenario): boolean {
  return scenario.workload.some((w) => w.reply !== null || w.pattern === 'trace');
}

/** Most tries the retry lever proposes: beyond, retries multiply load more than they save. */
const MAX_TRIES = 5;

/**
 * The share of one try of a message that fails by the roles' `errors`, for the
 * entry that fails most: every stage of its path (each branch of a parallel
 * group included) must succeed, independently.
 */
export function errorShare(scenario: Scenario): { share: number; roles: string[] } {
  const errorsOf = new Map(scenario.roles.map((r) => [r.name, r.errors]));
  let share = 0;
  for (const w of scenario.workload) {
    let ok = 1;
    for (const role of [w.to, ...w.then]) ok *= 1 - (errorsOf.get(role) ?? 0);
    share = Math.max(share, 1 - ok);
  }
  return { share, roles: scenario.roles.filter((r) => r.errors > 0).map((r) => r.name) };
}

/**
 * Retries against the roles' errors: the fewest tries (2 to 5) after which the
 * share of requests that fail every try, share^tries, is at most half of what
 * the delivery SLO allows; null when no role errs, no traffic waits for an
 * answer, or the configuration already tries as often.
 */
function retryLever(scenario: Scenario, base: MeshConfig, slo: PlanSlo): LeverPlan | null {
  const { share, roles } = errorShare(scenario);
  if (share <= 0 || !waitsForAnswers(scenario)) return null;
  const target = tightestDelivery(slo);
  const allowed = target === null ? share / 100 : (1 - target) / 2;
  let tries = 2;
  while (tries < MAX_TRIES && share ** tries > allowed) tries++;
  if ((base.retry?.maxAttempts ?? 1) >= tries) return null;
  return {
    kind: 'retry',
    label: `${tries} tries per request against the errors of ${roles.join(', ')} (${sig(share * 100)}% of requests fail a try)`,
    config: { retry: { maxAttempts: tries } },
    roles: {},
  };
}

/** When the roles' errors alone fail more requests than the global delivery SLO allows, at any load: a note saying so. */
export function errorsNote(scenario: Scenario, config: MeshConfig, slo: PlanSlo): string | null {
  const { share, roles } = errorShare(scenario);
  const target = slo.deliveryRatio;
  if (share <= 0 || target === null) return null;
  const answered = waitsForAnswers(scenario);
  const tries = answered ? (config.retry?.maxAttempts ?? 1) : 1;
  const failing = share ** tries;
  if (failing <= 1 - target) return null;
  return (
    `the errors of ${roles.join(', ')} fail about ${sig(failing * 100)}% of requests at any load (${sig(share * 100)}% of tries, ${tries} ${tries === 1 ? 'try' : 'tries'} each), ` +
    `more than the ${sig((1 - target) * 100)}% the delivery SLO allows: no capacity meets it${answered ? '; retries can (the retry lever)' : ''}`
  );
}

/** The levers worth trying against `b` at the lever load (`at`: the probe there). */
export function leversFor(scenario: Scenario, base: MeshConfig, slo: PlanSlo, b: Bottleneck | null, at: ProbeRecord): LeverPlan[] {
  const out: LeverPlan[] = [];
  const p99Ms = tightestP99(slo);
  // Errors fail requests at any load: when roles err, retries come first.
  const retry = retryLever(scenario, base, slo);
  if (retry !== null) out.push(retry);
  const roleName = b?.culprit.role ?? at.probe.bottleneck.role;
  const role = scenario.roles.find((r) => r.name === roleName);
  if (role !== undefined) {
    const busy = at.probe.utilization[role.name] ?? 0;
    const count = Math.max(role.count + 1, Math.ceil((role.count * busy) / TARGET_UTILIZATION));
    out.push({ kind: 'replicas', label: `${count} replicas of ${role.name} (today ${role.count})`, config: {}, roles: { [role.name]: count } });
  }
  // Timeouts, ejection and hedges act on calls: request–reply traffic, or hops acknowledged under at-least-once delivery.
  const calls = waitsForAnswers(scenario) || (base.delivery ?? 'at-most-once') !== 'at-most-once';
  if (calls && base.outlier === undefined) {
    // Ejection acts on failed calls: without a per-try timeout a slow replica never fails one.
    const config: MeshConfig = { outlier: OUTLIER };
    const extra: string[] = [];
    if (base.timeout?.perTry === undefined && p99Ms !== null) {
      config.timeout = { perTry: p99Ms };
      extra.push(`a per-try timeout of ${fmtMs(p99Ms)}`);
      if ((base.retry?.maxAttempts ?? 1) < 2) {
        config.retry = { maxAttempts: 2 };
        extra.push('one retry');
      }
    }
    out.push({
      kind: 'outlier-ejection',
      label: `outlier ejection (${OUTLIER.consecutiveErrors} errors in a row, ${OUTLIER.ejectFor / 1000} s)${extra.length > 0 ? `, with ${extra.join(' and ')} so that slowness counts as an error` : ''}`,
      config,
      roles: {},
    });
  }
  if (calls && base.hedge?.after === undefined) {
    // Hedge at the 95th percentile (Dean & Barroso, "The Tail at Scale", 2013), early enough to help the SLO.
    const p95 = at.stats.pooledP95;
    const after = Math.max(1, Math.min(Number.isFinite(p95) ? p95 : Infinity, p99Ms !== null ? p99Ms / 2 : Infinity));
    if (Number.isFinite(after)) out.push({ kind: 'hedge', label: `a hedge after ${fmtMs(after)}`, config: { hedge: { after: Number(after.toPrecision(3)) } }, roles: {} });
  }
  const current = base.routing?.balancer ?? 'round-robin';
  // A balancer chooses among replicas: with one, every balancer is the same.
  for (const balancer of AWARE_BALANCERS) {
    if (balancer !== current && (role?.count ?? 1) > 1) out.push({ kind: 'balancer', label: `the ${balancer} balancer (today ${current})`, config: { routing: { balancer } }, roles: {} });
  }
  return out;
}

/** Each lever at `load`, one after another, while the budget lasts. */
export async function tryLevers(
  prober: Prober,
  levers: readonly LeverPlan[],
  load: number,
  base: MeshConfig,
  notes: string[],
  onLever?: (p: Probe, label: string) => void,
): Promise<LeverResult[]> {
  const out: LeverResult[] = [];
  for (const l of levers) {
    const rec = await prober.probe(load, { load, config: mergeConfig(base, l.config), roles: l.roles });
    if (rec === null) {
      notes.push(`the budget ran out before trying ${l.label}`);
      break;
    }
    onLever?.(rec.probe, l.label);
    out.push({ kind: l.kind, label: l.label, config: l.config, roles: l.roles, probe: rec.probe, costPerDelivered: rec.stats.costPerDelivered });
  }
  return out;
}

/** The lever shown to meet the SLOs with the lowest p99 (then the cheapest), with a sentence. */
export function recommend(levers: readonly LeverResult[], at: ProbeRecord, load: number): Pick<PlanResult, 'recommendation' | 'recommendationText'> {
  if (levers.length === 0) return { recommendation: null, recommendationText: null };
  const rank = (a: LeverResult, b: LeverResult): number => a.probe.p99Ms - b.probe.p99Ms || a.costPerDelivered - b.costPerDelivered;
  const fixing = levers.filter((l) => l.probe.verdict === 'meets').sort(rank);
  const today = `today's configuration: p99 ${fmtMs(at.probe.p99Ms)}`;
  const best = fixing[0];
  if (best !== undefined) {
    return {
      recommendation: { lever: levers.indexOf(best), kind: best.kind, label: best.label },
      recommendationText: `Recommended: ${best.label} — p99 ${fmtMs(best.probe.p99Ms)}${ciText(best)} at ×${sig(load)}, shown to meet the SLOs (${today}).`,
    };
  }
  const closest = [...levers].sort(rank)[0]!;
  return {
    recommendation: null,
    recommendationText: `No lever tried is shown to meet the SLOs at ×${sig(load)}; the lowest p99 is ${fmtMs(closest.probe.p99Ms)}${ciText(closest)}, with ${closest.label} (${today}).`,
  };
}

function ciText(l: LeverResult): string {
  const ci = l.probe.p99Ci;
  return ci === null ? '' : ` [${fmtMs(Math.max(0, ci[0]))}, ${fmtMs(ci[1])}]`;
}
