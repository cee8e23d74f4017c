/**
 * Evidence for a study's report (SPEC §7), gathered after the confirmation
 * and outside the search budget, so the report can be re-rendered from the
 * study folder without simulating again:
 *
 * - for the current configuration and the winner, on the first confirmation
 *   seed: the latency CDF and the timeline (per-role utilisation, deliveries,
 *   losses, retries and breaker trips per interval);
 * - a load forecast for the winner: a capacity plan (sim/plan) at a lighter
 *   effort than `meshtune plan`'s — loads probed on several seeds each until
 *   their interval clears the SLOs, the limit as [highest load shown to
 *   meet, lowest shown to break], the replica and window that break it, and
 *   the role that saturates first. Without an SLO nothing can break: the
 *   forecast is then p99 and delivery at × 1, 1.25, 1.5, 2 and 3, one seed each.
 *
 * Runs go through the study's runner (worker threads), all at once; each is
 * deterministic, so the same study gives the same evidence on any number of
 * workers. Shaping the results is pure (the `…Of` functions below).
 */
import type { LostCounts, Metrics } from '../metrics/types.js';
import { offeredRate } from '../runner/load.js';
import { plan, type Effort, type PlanResult } from '../plan/index.js';
import type { Bottleneck, Probe, Verdict } from '../plan/types.js';
import type { FaultSpec, MeshConfig, Scenario, SloSpec } from '../scenario/types.js';
import type { Runner } from '../runner/runner.js';
import type { DetailedMetrics, RunResult } from './types.js';

/** Load multipliers of the forecast when the scenario states no SLO (one seed each; also the first forecast format's). */
export const FORECAST_FACTORS: readonly number[] = [1, 1.25, 1.5, 2, 3];

/**
 * Effort of the report's forecast plan: ±10% and 4–8 seeds per load, at most
 * 48 runs — a forecast beside a study, not the full `meshtune plan`.
 */
export const FORECAST_EFFORT: Partial<Effort> = { precision: 0.1, initialReplications: 4, maxReplications: 8, budgetRuns: 48 };

/** Busy fraction from which a role counts as saturated (queues grow without bound near 1). */
export const SATURATED = 0.9;

/** Per-interval series of one run, cut after the last interval with activity. */
export interface EvidenceTimeline {
  /** Width of an interval, ms; interval i covers [i·bucketMs, (i+1)·bucketMs). */
  bucketMs: number;
  /** Messages per interval, warm-up included (the whole run is charted). */
  generated: number[];
  delivered: number[];
  lost: number[];
  retries: number[];
  /** Circuit breakers tripped open per interval. */
  breakerOpens: number[];
  /** Per role: busy fraction of its worker slots per interval, 0..1. */
  utilization: Record<string, number[]>;
  /** Per autoscaled role: replicas serving per interval (mean over it); absent when no role autoscales. */
  replicas?: Record<string, number[]>;
}

/** One configuration's run on the evidence seed. */
export interface RunEvidence {
  seed: number;
  /** Latencies, ms (Infinity when nothing was delivered). */
  p50: number;
  p99: number;
  p999: number;
  meanLatency: number;
  deliveryRatio: number;
  generated: number;
  delivered: number;
  lost: LostCounts;
  retries: number;
  hedges: number;
  breakerOpens: number;
  /** Busy fraction of each role's slots over the measured window. */
  utilization: Record<string, number>;
  /** [ms, fraction of latencies ≤ ms], log-spaced in ms (sim/metrics/histogram `cdfPoints`). */
  latencyCdf: Array<[number, number]>;
  timeline: EvidenceTimeline;
}

export type SloName = 'p99' | 'deliveryRatio';

export interface ForecastPoint {
  /** Load multiplier of the scenario's workload. */
  factor: number;
  /** Offered messages per second (null when the workload has no declared rate: closed or trace). */
  offeredPerSec: number | null;
  /** ms; Infinity when nothing was delivered. */
  p99: number;
  deliveryRatio: number;
  utilization: Record<string, number>;
  /** SLOs missed at this load (empty: meets them all). */
  breaks: SloName[];
  /** Why the run failed (its figures are then NaN). */
  error: string | null;
  /** A plan's probe: the p99's decision interval, its verdict and how many seeds it took (absent in the first format). */
  p99Ci?: [number, number] | null;
  verdict?: Verdict;
  seeds?: number;
}

/** The forecast plan's limit: the interval and its point estimate, multiples of the scenario's load. */
export interface ForecastLimit {
  answer: number | null;
  interval: [number | null, number | null];
  confidence: number;
  precision: number;
  reached: boolean;
  runs: number;
  notes: string[];
}

export interface Forecast {
  /** The configuration forecast: the winner, or the current one when there is no winner. */
  of: 'winner' | 'current';
  seed: number;
  slo: { p99: number | null; deliveryRatio: number | null };
  points: ForecastPoint[];
  /** First factor at which an SLO breaks; null when none breaks up to the last factor (or no SLO is set). */
  breaksAt: number | null;
  /** Largest factor before `breaksAt` that meets every SLO; null when ×1 already breaks. */
  holdsUpTo: number | null;
  /**
   * The role that saturates first (busy ≥ SATURATED) and at which factor; when
   * none does, the busiest role at the largest factor, with `factor` null.
   */
  bottleneck: { role: string; factor: number | null; utilization: number; atOne: number } | null;
  /** The plan's limit (absent in the first format, which ran one seed per load). */
  limit?: ForecastLimit;
  /** The replica and window that break the SLO, where it breaks (absent in the first format). */
  culprit?: Bottleneck | null;
}

/** A fault the scenario injects, as plain data for the report and the charts. */
export interface FaultNote {
  kind: FaultSpec['kind'];
  /** Role hit (crash, slow), "a+b | c" for a partition, "links" for loss and latency. */
  target: string;
  atMs: number;
  forMs: number;
  /** Replicas hit: a count, or a fraction of the role (rounded up). */
  count: number | null;
  fraction: number | null;
  /** Service-time (slow) or link-latency (latency) multiplier. */
  factor: number | null;
  /** Extra loss probability per link (loss). */
  rate: number | null;
  /** Recurring crashes: mean time between failures and to repair, ms. */
  mtbfMs: number | null;
  mttrMs: number | null;
}

export interface Evidence {
  /** The seed of every evidence run (the first confirmation seed). */
  seed: number;
  scenario: {
    durationMs: number;
    warmupMs: number;
    offeredPerSec: number | null;
    roles: Array<{ name: string; count: number; workers: number }>;
    faults: FaultNote[];
  };
  current: RunEvidence | null;
  /** Null when there is no winner, when it is the current configuration (`sameConfig`), or when its run failed. */
  winner: RunEvidence | null;
  sameConfig: boolean;
  forecast: Forecast | null;
  /** Evidence runs that failed, with their error. */
  failures: string[];
}

export interface EvidenceRequest {
  scenarioPath: string;
  seed: number;
  current: MeshConfig;
  winner: MeshConfig | null;
  sameConfig: boolean;
}

/** Runs the evidence of a study on its runner, all runs at once. */
export async function collectEvidence(scenario: Scenario, req: EvidenceRequest, runner: Runner): Promise<Evidence> {
  const run = (config: MeshConfig, load: number, detail: boolean): Promise<RunResult> =>
    runner.run({ scenarioPath: req.scenarioPath, fraction: 1, config, seed: req.seed, ...(load !== 1 ? { load } : {}), ...(detail ? { detail } : {}) });
  const distinct = req.winner !== null && !req.sameConfig;
  const cur = run(req.current, 1, true);
  const win = distinct ? run(req.winner!, 1, true) : cur;
  const forecastConfig = req.winner ?? req.current;
  // With an SLO the forecast is a capacity plan; without one nothing can break, and the fixed loads show how it degrades.
  const noSlo = scenario.slo.p99 === null && scenario.slo.deliveryRatio === null;
  const limit = noSlo
    ? null
    : // The report's forecast reads the global SLOs only (its points and text name no class): the plan is asked for those.
      plan(scenario, { config: forecastConfig, seed: req.seed, runner, scenarioPath: req.scenarioPath, effort: FORECAST_EFFORT, levers: false, slo: { classes: {} } }).catch((err: unknown) =>
        err instanceof Error ? err.message : String(err),
      );
  const loads = noSlo ? FORECAST_FACTORS.map((f) => (f === 1 ? win : run(forecastConfig, f, false))) : [];
  const [curDone, winDone, planned, ...loadDone] = await Promise.all([cur, win, limit, ...loads]);
  const failures: string[] = [];
  const evidenceOf = (r: RunResult, what: string): RunEvidence | null => {
    if (!r.ok) {
      failures.push(`${what}: ${r.error}`);
      return null;
    }
    return runEvidenceOf(r.metrics as DetailedMetrics, scenario.duration);
  };
  const current = evidenceOf(curDone!, 'current configuration');
  const winner = distinct ? evidenceOf(winDone!, 'winner') : null;
  const offered = offeredRate(scenario);
  const of = req.winner !== null ? 'winner' : 'current';
  let forecast: Forecast | null = null;
  if (typeof planned === 'string') failures.push(`load forecast: ${planned}`);
  else if (planned !== null) forecast = planForecast(of, req.seed, scenario.slo, offered, planned);
  else {
    const points = FORECAST_FACTORS.map((factor, i) => {
      const r = loadDone[i]!;
      if (!r.ok && factor !== 1) failures.push(`load × ${factor}: ${r.error}`);
      return forecastPointOf(factor, offered > 0 ? offered * factor : null, r, scenario.slo);
    });
    forecast = forecastOf(of, req.seed, scenario.slo, points);
  }
  return {
    seed: req.seed,
    scenario: {
      durationMs: scenario.duration,
      warmupMs: scenario.warmup,
      offeredPerSec: offered > 0 ? offered : null,
      roles: scenario.roles.map((r) => ({ name: r.name, count: r.count, workers: r.workers })),
      faults: scenario.faults.map(faultNoteOf),
    },
    current,
    winner,
    sameConfig: req.sameConfig,
    forecast,
    failures,
  };
}

/** Six significant digits: plenty for a chart, and study.json stays readable. */
const r6 = (x: number): number => (Number.isFinite(x) ? Number(x.toPrecision(6)) : x);

/** A run's evidence: headline figures, latency CDF and timeline (cut after the last activity). */
export function runEvidenceOf(m: DetailedMetrics, durationMs: number): RunEvidence {
  const t = m.timeline;
  if (t === undefined) throw new Error('an evidence run came back without its timeline');
  const none = m.messages.delivered === 0;
  const active = (i: number): boolean =>
    t.generated[i]! > 0 || t.delivered[i]! > 0 || t.lost[i]! > 0 || t.sent[i]! > 0 || Object.values(t.utilization).some((u) => u[i]! > 0);
  let end = Math.min(t.generated.length, Math.ceil(durationMs / t.bucketMs));
  for (let i = t.generated.length - 1; i >= end; i--) {
    if (active(i)) {
      end = i + 1;
      break;
    }
  }
  const cut = (a: number[]): number[] => a.slice(0, end).map(r6);
  const utilization: Record<string, number[]> = {};
  for (const [role, u] of Object.entries(t.utilization)) utilization[role] = cut(u);
  const replicas: Record<string, number[]> = {};
  for (const [role, n] of Object.entries(t.replicas ?? {})) replicas[role] = cut(n);
  return {
    seed: m.seed,
    p50: none ? Infinity : m.latencyMs.p50,
    p99: none ? Infinity : m.latencyMs.p99,
    p999: none ? Infinity : m.latencyMs.p999,
    meanLatency: none ? Infinity : m.latencyMs.mean,
    deliveryRatio: m.deliveryRatio,
    generated: m.messages.generated,
    delivered: m.messages.delivered,
    lost: { ...m.messages.lost },
    retries: m.retries,
    hedges: m.hedges,
    breakerOpens: m.breakerOpens,
    utilization: { ...m.utilization },
    latencyCdf: (m.latencyCdf ?? []).map(([x, p]): [number, number] => [r6(x), r6(p)]),
    timeline: {
      bucketMs: t.bucketMs,
      generated: cut(t.generated),
      delivered: cut(t.delivered),
      lost: cut(t.lost),
      retries: cut(t.retries),
      breakerOpens: cut(t.breakerOpens),
      utilization,
      ...(t.replicas !== undefined ? { replicas } : {}),
    },
  };
}

/** The SLOs a run misses. */
export function sloBreaks(p99: number, deliveryRatio: number, slo: SloSpec): SloName[] {
  const out: SloName[] = [];
  if (slo.p99 !== null && !(p99 <= slo.p99)) out.push('p99');
  if (slo.deliveryRatio !== null && !(deliveryRatio >= slo.deliveryRatio)) out.push('deliveryRatio');
  return out;
}

export function forecastPointOf(factor: number, offeredPerSec: number | null, r: RunResult, slo: SloSpec): ForecastPoint {
  if (!r.ok) return { factor, offeredPerSec, p99: NaN, deliveryRatio: NaN, utilization: {}, breaks: [], error: r.error };
  const m: Metrics = r.metrics;
  const p99 = m.messages.delivered === 0 ? Infinity : m.latencyMs.p99;
  return { factor, offeredPerSec, p99, deliveryRatio: m.deliveryRatio, utilization: { ...m.utilization }, breaks: sloBreaks(p99, m.deliveryRatio, slo), error: null };
}

/** A probe of the forecast plan as a forecast point. */
export function probePointOf(p: Probe, offeredPerSec: number | null): ForecastPoint {
  return {
    factor: p.x,
    offeredPerSec,
    p99: p.p99Ms,
    deliveryRatio: p.deliveryRatio,
    utilization: { ...p.utilization },
    breaks: [...p.breaks],
    error: null,
    p99Ci: p.p99Ci,
    verdict: p.verdict,
    seeds: p.replications.length,
  };
}

/** The forecast from its plan: the probes as points, the plan's interval as where the SLO holds and breaks. */
export function planForecast(of: Forecast['of'], seed: number, slo: SloSpec, offered: number, r: PlanResult): Forecast {
  const points = r.probes.map((p) => probePointOf(p, offered > 0 ? offered * p.x : null));
  const f = forecastOf(of, seed, slo, points);
  const [low, high] = r.interval;
  return {
    ...f,
    breaksAt: high,
    holdsUpTo: low,
    limit: { answer: r.answer, interval: r.interval, confidence: r.confidence, precision: r.precision, reached: r.reached, runs: r.runs, notes: r.notes },
    culprit: r.bottleneck,
  };
}

/** The forecast's reading: where the SLO breaks and which role saturates first. */
export function forecastOf(of: Forecast['of'], seed: number, slo: SloSpec, points: ForecastPoint[]): Forecast {
  const ok = points.filter((p) => p.error === null).sort((a, b) => a.factor - b.factor);
  const broken = ok.find((p) => p.breaks.length > 0) ?? null;
  let holdsUpTo: number | null = null;
  for (const p of ok) {
    if (p.breaks.length > 0) break;
    holdsUpTo = p.factor;
  }
  let bottleneck: Forecast['bottleneck'] = null;
  const atOne = ok.find((p) => p.factor === 1);
  for (const p of ok) {
    const hot = Object.entries(p.utilization)
      .filter(([, u]) => u >= SATURATED)
      .sort((a, b) => b[1] - a[1])[0];
    if (hot !== undefined) {
      bottleneck = { role: hot[0], factor: p.factor, utilization: hot[1], atOne: atOne?.utilization[hot[0]] ?? NaN };
      break;
    }
  }
  const last = ok[ok.length - 1];
  if (bottleneck === null && last !== undefined) {
    const busiest = Object.entries(last.utilization).sort((a, b) => b[1] - a[1])[0];
    if (busiest !== undefined) bottleneck = { role: busiest[0], factor: null, utilization: busiest[1], atOne: atOne?.utilization[busiest[0]] ?? NaN };
  }
  return {
    of,
    seed,
    slo: { p99: slo.p99, deliveryRatio: slo.deliveryRatio },
    points,
    breaksAt: broken?.factor ?? null,
    holdsUpTo,
    bottleneck,
  };
}

export function faultNoteOf(f: FaultSpec): FaultNote {
  const base = { kind: f.kind, atMs: f.at, forMs: f.for, count: null, fraction: null, factor: null, rate: null, mtbfMs: null, mttrMs: null };
  switch (f.kind) {
    case 'crash':
      return { ...base, target: f.target, count: f.count, fraction: f.fraction, mtbfMs: f.mtbf, mttrMs: f.mttr };
    case 'slow':
      return { ...base, target: f.target, count: f.count, fraction: f.fraction, factor: f.factor };
    case 'partition':
      return { ...base, target: `${f.between[0].join('+')} | ${f.between[1].join('+')}` };
    case 'loss':
      return { ...base, target: 'links', rate: f.rate };
    case 'latency':
      return { ...base, target: 'links', factor: f.factor };
  }
}
