/** Sentences and figures shared by the report's sections. */
import type { LostCounts } from '../metrics/types.js';
import type { Improvement } from '../study/confirm.js';
import type { ConfigChange } from '../study/config-paths.js';
import { SATURATED, type FaultNote } from '../study/evidence.js';
import type { Shortfall } from '../study/study.js';
import type { Outcome } from '../study/types.js';
import type { SloSpec } from '../scenario/types.js';
import { fmtMoney, fmtMs, fmtPct, sig } from './units.js';

export const METRIC_LABEL: Record<Improvement['metric'], string> = {
  p99: 'p99 latency',
  deliveryRatio: 'delivery ratio',
  costPerDelivered: 'cost per delivered message',
};

export function fmtMetric(metric: Improvement['metric'], x: number): string {
  if (metric === 'p99') return fmtMs(x);
  if (metric === 'deliveryRatio') return fmtPct(x);
  return fmtMoney(x);
}

/** A difference in a metric's own unit, with its sign. */
export function fmtDiff(metric: Improvement['metric'], x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const sign = x > 0 ? '+' : x < 0 ? '−' : '';
  const a = Math.abs(x);
  if (metric === 'deliveryRatio') return `${sign}${sig(a * 100)} pp`;
  return `${sign}${fmtMetric(metric, a)}`;
}

export function fmtRel(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  return `${x > 0 ? '+' : x < 0 ? '−' : ''}${sig(Math.abs(x) * 100)}%`;
}

/** A busy share or other fraction as a percentage with three significant digits ("99.3%", never "100.000%"). */
export function fmtShare(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return `${sig(x * 100)}%`;
}

/** Simulated time in seconds, for timelines and fault windows. */
export function fmtSec(ms: number): string {
  return `${sig(ms / 1000)} s`;
}

/** A load multiplier: "×1.25". */
export function fmtFactor(f: number): string {
  return `×${sig(f)}`;
}

/** An absent value is "off" where the other side is a block (a mechanism), "default" where it is a single knob. */
function fmtValue(v: unknown, other: unknown): string {
  if (v === undefined) return other !== null && typeof other === 'object' ? 'off' : 'default';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

export function changeText(c: ConfigChange): string {
  return `\`${c.path}\`: ${fmtValue(c.from, c.to)} → ${fmtValue(c.to, c.from)}`;
}

export function changeLines(changes: readonly ConfigChange[]): string[] {
  return changes.map((c) => `- ${changeText(c)}`);
}

/** One sentence per claim: the change, its 95% CI and whether it is significant. */
export function claimSentence(i: Improvement): string {
  const label = METRIC_LABEL[i.metric];
  if (i.verdict === 'unmeasurable') return `${label}: not measurable (a run had no finite value)`;
  if (i.diff === 0 && i.ci95[0] === 0 && i.ci95[1] === 0) return `${label}: unchanged (${fmtMetric(i.metric, i.current)})`;
  const ci = `95% CI [${fmtDiff(i.metric, i.ci95[0])}, ${fmtDiff(i.metric, i.ci95[1])}]`;
  const what = `${fmtMetric(i.metric, i.current)} → ${fmtMetric(i.metric, i.winner)} (${fmtDiff(i.metric, i.diff)}, ${fmtRel(i.relative)}; ${ci})`;
  const verdict =
    i.verdict === 'better' ? 'significantly better' : i.verdict === 'worse' ? 'significantly worse' : 'not significant: the interval contains 0';
  return `${label}: ${what} — ${verdict}`;
}

/** Each of the scenario's SLOs, met or missed. */
export function sloStatus(
  o: Pick<Outcome, 'p99' | 'deliveryRatio' | 'classes' | 'worstP99' | 'worstDeliveryRatio'>,
  slo: SloSpec,
  shown?: Pick<Outcome, 'p99' | 'deliveryRatio' | 'classes'>,
): string {
  const parts: string[] = [];
  type Values = { p99: number; deliveryRatio: number; worstP99?: number; worstDeliveryRatio?: number };
  const bounds = (name: string, v: Values, s: Values | undefined, b: { p99: number | null; deliveryRatio: number | null }): void => {
    if (b.deliveryRatio !== null) parts.push(boundStatus(`${name}delivery`, v.deliveryRatio, v.worstDeliveryRatio, s?.deliveryRatio, b.deliveryRatio, true, fmtPct));
    if (b.p99 !== null) parts.push(boundStatus(`${name}p99`, v.p99, v.worstP99, s?.p99, b.p99, false, fmtMs));
  };
  bounds('', o, shown, slo);
  for (const [name, b] of Object.entries(slo.classes ?? {})) {
    const none = { p99: Infinity, deliveryRatio: 0 };
    bounds(`${name} `, o.classes?.[name] ?? none, shown === undefined ? undefined : (shown.classes?.[name] ?? none), b);
  }
  return parts.length > 0 ? parts.join('; ') : `delivery ${fmtPct(o.deliveryRatio)}, p99 ${fmtMs(o.p99)} (the scenario states no SLO)`;
}

/**
 * "p99 290 ms meets the 300 ms SLO": judged on the mean over seeds. Where the
 * mean meets a bound that the end of its 95% interval over the seeds
 * (`shown`, confirm.ts) misses, it is not shown to meet it, and that is said;
 * else where the worst seed missed it, that is said — a run like that seed's
 * would miss it.
 */
function boundStatus(label: string, mean: number, worst: number | undefined, shown: number | undefined, bound: number, atLeast: boolean, fmt: (x: number) => string): string {
  const holds = (x: number): boolean => (atLeast ? x >= bound : x <= bound);
  const meets = holds(mean);
  const tail = !meets
    ? ''
    : shown !== undefined && !holds(shown)
      ? ` on the mean only, within the noise of the seeds (its 95% interval reaches ${fmt(shown)}): not shown to meet it`
      : worst !== undefined && !holds(worst)
        ? ` on the mean (the worst seed: ${fmt(worst)})`
        : '';
  return `${label} ${fmt(mean)} ${meets ? 'meets' : 'misses'} the ${fmt(bound)} SLO${tail}`;
}

/** "timeout 21.5, breaker 88.1" or "none". */
export function lostText(lost: LostCounts | Record<string, number>): string {
  const parts = Object.entries(lost)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${k} ${sig(v)}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

export const capitalise = (s: string): string => (s === '' ? s : s[0]!.toUpperCase() + s.slice(1));

/** A fault as a phrase: "crash of 1 worker replica at 2 s for 2 s". */
export function faultText(f: FaultNote): string {
  const who = (noun: string): string =>
    f.count !== null ? `${f.count} ${noun} replica${f.count === 1 ? '' : 's'}` : f.fraction !== null ? `${sig(f.fraction * 100)}% of ${noun}` : `every ${noun}`;
  const when = f.mtbfMs !== null && f.mttrMs !== null ? `recurring (MTBF ${fmtSec(f.mtbfMs)}, MTTR ${fmtSec(f.mttrMs)})` : `at ${fmtSec(f.atMs)} for ${fmtSec(f.forMs)}`;
  switch (f.kind) {
    case 'crash':
      return `crash of ${who(f.target)} ${when}`;
    case 'slow':
      return `${who(f.target)} ${sig(f.factor ?? 1)}× slower ${when}`;
    case 'partition':
      return `partition between ${f.target.replace(' | ', ' and ')} ${when}`;
    case 'loss':
      return `extra link loss of ${fmtPct(f.rate ?? 0)} ${when}`;
    case 'latency':
      return `links ${sig(f.factor ?? 1)}× slower ${when}`;
  }
}

/** A short label for a fault window on a chart: "crash worker". */
export function faultLabel(f: FaultNote): string {
  if (f.kind === 'slow') return `slow ${f.target} ×${sig(f.factor ?? 1)}`;
  if (f.kind === 'crash') return `crash ${f.target}`;
  if (f.kind === 'partition') return 'partition';
  return f.kind === 'loss' ? 'link loss' : 'link latency';
}

/**
 * Why nothing meets the SLOs, as a sentence: "no configuration the study
 * confirmed on fresh seeds meets the p99 SLO (2 s); the closest is the winner, limited by db 97% busy and
 * 1 db replica 12× slower at 0 s for 60 s". `inForce`: the bounds the study
 * judged (its objective's); `stated`: the scenario's own.
 */
export function shortfallText(s: Shortfall, inForce: SloSpec, stated: SloSpec = inForce): string {
  // A bound the scenario does not state is the mode's (objective.ts): say so.
  const bound = (text: string, given: number | null | undefined): string => (given == null ? `${text}, the mode's default: the scenario states none` : text);
  const classBound = (m: string): string => {
    const name = m.replace(/ (p99|delivery ratio)$/, '');
    const b = inForce.classes?.[name];
    return m.endsWith(' p99') ? `${m} (${fmtMs(b?.p99 ?? NaN)})` : `${m} (${fmtPct(b?.deliveryRatio ?? NaN)})`;
  };
  const what = [
    ...s.unmet.map((m) =>
      m === 'p99'
        ? `p99 (${bound(fmtMs(inForce.p99 ?? NaN), stated.p99)})`
        : `delivery-ratio (${bound(fmtPct(inForce.deliveryRatio ?? NaN), stated.deliveryRatio)})`,
    ),
    ...(s.unmetClasses ?? []).map(classBound),
  ].join(' and ');
  // Only a saturated role limits; the busiest of idle ones is said to be not the limit.
  const busy = s.saturated.filter((b) => b.utilization >= SATURATED);
  const idle = s.saturated.find((b) => b.utilization < SATURATED);
  const limits = [...busy.map((b) => `${b.role} ${fmtPct(b.utilization)} busy`), ...s.faults.map(faultText)];
  const closest = s.closest === 'winner' ? 'the winner' : 'the current configuration';
  const notCapacity =
    busy.length === 0 && idle !== undefined
      ? `; no role is saturated on average over the run (the busiest, ${idle.role}, is ${fmtPct(idle.utilization)} busy): the limit is not its average capacity (its peaks may be)`
      : '';
  return `no configuration the study confirmed on fresh seeds meets the ${what} SLO; the closest is ${closest}${limits.length > 0 ? `, limited by ${limits.join('; ')}` : ''}${notCapacity}`;
}
