/**
 * How faithful a scenario is to a traced mesh (SPEC §11.3): the scenario is
 * simulated under the trace's own arrivals (its external entries replaced by
 * a replay of the root requests' start times, replay.ts) with its spans
 * recorded, both span sets go through the same
 * derivation, and per service (own time) and end to end (request latency)
 * the p50 / p90 / p99, throughput and error rate are compared (per service
 * the rate of its own errors, derive.ts: error spans none of whose calls
 * failed; a model's error span is its lost message's last, so it has none),
 * with the
 * two-sample Kolmogorov–Smirnov distance between the distributions. A row
 * passes when its p50 and p90 are within the tolerance (relative) of the
 * trace's, its p99 too where both samples pin it down (`p99Judged`), and its
 * error rate is not off the trace's (`errorRatesDiffer`); rows with fewer than
 * MIN_JUDGED values on either side, or too few to pin the p50 and p90 down to
 * the tolerance (`resolves`), are shown, not judged. A traced service the
 * scenario lacks fails.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SpanRecorder } from '../metrics/spans.js';
import type { Metrics } from '../metrics/types.js';
import { runScenario } from '../runner/index.js';
import type { MeshConfig, Scenario } from '../scenario/types.js';
import { derive, type Derived } from './derive.js';
import { Diagnostics } from './diagnostics.js';
import { recordedSpans } from './from-run.js';
import { roleNames } from './infer.js';
import { readDerived } from './read.js';
import { noReplay, replayScenario, type Replay } from './replay.js';
import type { TelemetryFormat } from './span.js';

export const MIN_JUDGED = 30;

export interface Side {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  throughputPerSec: number;
  errorRate: number;
}

export interface FidelityRow {
  name: string;
  kind: 'end-to-end' | 'service';
  trace: Side | null;
  model: Side | null;
  /** Relative differences model/trace − 1 (Infinity where the trace's is 0 and the model's is not). */
  delta: { p50: number; p90: number; p99: number; errorRate: number } | null;
  ks: number | null;
  judged: boolean;
  /**
   * Whether the p99 was judged too: the row is, and both samples pin their
   * p99 down to the tolerance (thousands of values, or a tight tail). A tail
   * the model gets wrong is what a p99 SLO's advice would rest on.
   */
  p99Judged: boolean;
  pass: boolean;
}

export interface FidelityReport {
  scenario: string;
  against: { format: TelemetryFormat; files: string[] };
  tolerance: number;
  seed: number;
  rows: FidelityRow[];
  pass: boolean;
  notes: string[];
}

export interface FidelityOptions {
  config: MeshConfig;
  seed: number;
  tolerance: number;
  windowMs?: number;
  /**
   * The share of the mesh's requests the traces hold (head sampling), in
   * (0, 1]. Below 1 the model runs the scenario's own workload (a replay of the
   * sampled requests would carry only that share of the load), and the
   * trace's throughputs are shown over the share.
   */
  sampleRate?: number;
}

export function fidelity(sc: Scenario, format: TelemetryFormat, files: readonly string[], opts: FidelityOptions): FidelityReport {
  const { derived: traced, diag } = readDerived(format, files, opts.windowMs ?? Infinity);
  const rec = new SpanRecorder(1, 0);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'meshtune-fidelity-'));
  let metrics: Metrics;
  let replay: Replay;
  const share = opts.sampleRate ?? 1;
  try {
    replay = share < 1 ? noReplay(sc) : replayScenario(sc, traced, dir, opts.seed);
    metrics = runScenario(replay.scenario, { config: opts.config, seed: opts.seed, spans: rec });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const modelled = derive(recordedSpans(rec), new Diagnostics());
  // A sampled trace's rates are its share of the mesh's.
  const traceWindowS = windowSeconds(traced) * share;
  const modelWindowS = (replay.scenario.duration - replay.scenario.warmup) / 1000;
  const names = roleNames([...traced.services.keys()]);
  const rows: FidelityRow[] = [];
  rows.push(
    row('end to end', 'end-to-end', opts.tolerance,
      side(traced.latencyMs, traced.traces, traced.traces / traceWindowS, traced.traces > 0 ? traced.failedTraces / traced.traces : 0),
      side(modelled.latencyMs, modelled.traces, modelled.traces / modelWindowS, modelError(metrics))),
  );
  for (const [service, st] of [...traced.services.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    const role = names.get(service)!;
    const ms = modelled.services.get(role);
    rows.push(
      row(role, 'service', opts.tolerance,
        side(st.ownMs, st.spans, st.spans / traceWindowS, st.spans > 0 ? st.ownErrors / st.spans : 0),
        ms === undefined ? null : side(ms.ownMs, ms.spans, ms.spans / modelWindowS, ms.spans > 0 ? ms.ownErrors / ms.spans : 0)),
    );
  }
  const notes: string[] = [
    share < 1
      ? `the traces hold ${Number((share * 100).toPrecision(3))}% of the requests: the model runs the scenario's own workload (a replay of the sampled requests would carry only that share of the load), and the trace's throughputs are its sampled ones over that share`
      : replay.replaced > 0
      ? `the model is driven by the trace's own arrivals: ${replay.requests} root request${replay.requests === 1 ? ' replayed at its start time' : 's replayed at their start times'} over ${replay.replaced} workload entr${replay.replaced === 1 ? 'y' : 'ies'}` +
        (replay.spread > 0 ? ` (${replay.spread} on paths no entry stands for, spread over the entries by rate)` : '') +
        (replay.kept > 0 ? `; ${replay.kept} on the path of an entry not replayed (from a role, closed or a trace) are left to that entry's own workload` : '')
      : 'the scenario has no external poisson, bursty or diurnal entry to replay the trace\'s arrivals through: it runs its own workload',
    'per service: own time (span minus the calls it waited on), the quantity a role\'s service time models',
    ...diag.lines(),
  ];
  return {
    scenario: sc.name,
    against: { format, files: [...files] },
    tolerance: opts.tolerance,
    seed: opts.seed,
    rows,
    pass: rows.every((r) => r.pass),
    notes,
  };
}

function windowSeconds(d: Derived): number {
  const s = d.rootStartsMs;
  if (s.length < 2) return 1;
  return ((s[s.length - 1]! - s[0]!) * s.length) / (s.length - 1) / 1000;
}

function modelError(m: Metrics): number {
  return m.messages.generated > 0 ? 1 - m.deliveryRatio : 0;
}

/** `values` may be a reservoir of `n` (SPEC §11.1): n is the count, the quantiles are the values'. */
function side(values: number[], n: number, throughputPerSec: number, errorRate: number): Side & { sorted: Float64Array } {
  const sorted = Float64Array.from(values).sort();
  const q = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  return { n, p50: q(0.5), p90: q(0.9), p99: q(0.99), throughputPerSec, errorRate, sorted };
}

function row(name: string, kind: FidelityRow['kind'], tol: number, t: ReturnType<typeof side>, m: ReturnType<typeof side> | null): FidelityRow {
  const strip = ({ sorted: _, ...rest }: ReturnType<typeof side>): Side => rest;
  if (m === null) return { name, kind, trace: strip(t), model: null, delta: null, ks: null, judged: true, p99Judged: false, pass: false };
  const rel = (a: number, b: number): number => (b === 0 ? (a === 0 ? 0 : Infinity) : a / b - 1);
  const delta = { p50: rel(m.p50, t.p50), p90: rel(m.p90, t.p90), p99: rel(m.p99, t.p99), errorRate: rel(m.errorRate, t.errorRate) };
  const judged = t.n >= MIN_JUDGED && m.n >= MIN_JUDGED && resolves(t.sorted, tol) && resolves(m.sorted, tol);
  const p99Judged = judged && resolves(t.sorted, tol, TAIL_QUANTILE) && resolves(m.sorted, tol, TAIL_QUANTILE);
  const pass =
    !judged ||
    (Math.abs(delta.p50) <= tol && Math.abs(delta.p90) <= tol && (!p99Judged || Math.abs(delta.p99) <= tol) && !errorRatesDiffer(t, m, tol));
  return { name, kind, trace: strip(t), model: strip(m), delta, ks: ks2(t.sorted, m.sorted), judged, p99Judged, pass };
}

/** |z| of a two-sided 95% interval. */
const Z95 = 1.959963984540054;

/** The quantiles every judged row is held to, and the tail one held where it is pinned down. */
const HEAD_QUANTILES: readonly number[] = [0.5, 0.9];
const TAIL_QUANTILE: readonly number[] = [0.99];

/**
 * Whether a sample pins its `quantiles` (by default the p50 and p90) down
 * finely enough to judge a difference of `tol`: the 95% interval of each
 * (from the order statistics, distribution-free) spans at most `tol` of the
 * quantile, half of it either side. With fewer values the quantile's own
 * noise could fail or pass the row: it is shown, not judged. For exponential
 * values the interval of the p50 spans ±25% of it at 150 values and ±4% at
 * 5,000; at a tolerance of 10% the p50 and p90 are pinned down from about
 * 3,200 values, the p99 from about 8,000.
 */
export function resolves(sorted: Float64Array, tol: number, quantiles: readonly number[] = HEAD_QUANTILES): boolean {
  const n = sorted.length;
  for (const p of quantiles) {
    const spread = Z95 * Math.sqrt(n * p * (1 - p));
    const lo = Math.floor(n * p - spread);
    const hi = Math.ceil(n * p + spread);
    if (lo < 0 || hi > n - 1) return false;
    const q = sorted[Math.min(n - 1, Math.floor(p * n))]!;
    if (!(q > 0)) continue; // a zero quantile: no relative width to speak of
    if (sorted[hi]! - sorted[lo]! > tol * q) return false;
  }
  return true;
}

/** |z| of a two-sided two-proportion test at 99%. */
const Z99 = 2.5758293035489004;

/**
 * Whether the model's error rate is off the trace's: by more than the
 * tolerance (relative to the trace's rate) and by more than the sampling noise
 * of the two counts (a two-proportion z test at 99%), so that a handful of
 * errors either way is not a failure while a model failing 5% of the requests
 * a trace fails 0.3% of is.
 */
export function errorRatesDiffer(t: Pick<Side, 'n' | 'errorRate'>, m: Pick<Side, 'n' | 'errorRate'>, tol: number): boolean {
  const diff = Math.abs(m.errorRate - t.errorRate);
  if (diff <= tol * t.errorRate || t.n === 0 || m.n === 0) return false;
  const pooled = (t.errorRate * t.n + m.errorRate * m.n) / (t.n + m.n);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / t.n + 1 / m.n));
  return se === 0 ? diff > 0 : diff / se > Z99;
}

/** Two-sample Kolmogorov–Smirnov distance: the largest gap between the empirical CDFs. */
export function ks2(a: Float64Array, b: Float64Array): number {
  if (a.length === 0 || b.length === 0) return 1;
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < a.length && j < b.length) {
    const x = Math.min(a[i]!, b[j]!);
    while (i < a.length && a[i]! <= x) i++;
    while (j < b.length && b[j]! <= x) j++;
    d = Math.max(d, Math.abs(i / a.length - j / b.length));
  }
  return d;
}
