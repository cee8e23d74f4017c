/**
 * A capacity plan as Markdown for people: the answer with its interval and
 * confidence, the probes with their replications, the bottleneck, the levers
 * tried and the recommendation.
 */
import type { AutoscaleCandidate } from '../plan/autoscale-plan.js';
import type { LeverResult, PlanResult, PlanSlo, Probe } from '../plan/types.js';
import type { AutoscaleConfig } from '../scenario/types.js';
import { fmtMoney, fmtMs, fmtPct, sig } from './units.js';

export function sloText(slo: PlanSlo): string {
  const classes = Object.entries(slo.classes ?? {}).flatMap(([name, c]) => [
    c.p99Ms !== null ? `class ${name} p99 ≤ ${fmtMs(c.p99Ms)}` : '',
    c.deliveryRatio !== null ? `class ${name} delivery ≥ ${fmtPct(c.deliveryRatio)}` : '',
  ]);
  return [slo.p99Ms !== null ? `p99 ≤ ${fmtMs(slo.p99Ms)}` : '', slo.deliveryRatio !== null ? `delivery ≥ ${fmtPct(slo.deliveryRatio)}` : '', ...classes].filter(Boolean).join(' and ');
}

const x = (f: number): string => `×${sig(f)}`;

export function p99Text(p: Pick<Probe, 'p99Ms' | 'p99Ci'>): string {
  if (!Number.isFinite(p.p99Ms)) return 'nothing delivered';
  return `${fmtMs(p.p99Ms)}${p.p99Ci ? ` [${fmtMs(Math.max(0, p.p99Ci[0]))}, ${fmtMs(p.p99Ci[1])}]` : ''}`;
}

/** The headline of a load plan: the point, the interval, its confidence and cost. */
export function loadHeadline(name: string, r: PlanResult, slo: PlanSlo): string {
  const target = sloText(slo);
  const [low, high] = r.interval;
  const cost = `${r.runs} runs`;
  if (r.answer === null) return `${name}: no load level tried is shown to meet ${target} (${cost}).`;
  const offered = r.offeredPerSec ? ` (${sig(r.offeredPerSec)} messages/s offered)` : '';
  if (high === null) return `${name}: meets ${target} at every load tried, up to ${x(low ?? r.answer)} today's load${offered}; nothing tried breaks it (${cost}).`;
  const width = low !== null ? `, ±${sig(((high - low) / (high + low)) * 100, 2)}%` : '';
  return (
    `${name}: meets ${target} up to about ${x(r.answer)} today's load${offered}: between ${low !== null ? `${x(low)} (shown to meet)` : 'no load shown to meet'} and ${x(high)} (shown to break)${width}, ` +
    `${sig(r.confidence * 100)}% confidence; ${cost}${r.reached ? '' : `, wider than the ±${sig(r.precision * 100)}% asked`}.`
  );
}

function roleHeadline(name: string, r: PlanResult, slo: PlanSlo, load: number): string {
  const at = load === 1 ? "today's load" : `${x(load)} today's load`;
  if (r.answer === null) return `${name}: no count of ${r.role} tried is shown to meet ${sloText(slo)} at ${at} (${r.runs} runs).`;
  const [low, high] = r.interval;
  const range = low !== null && low !== high ? ` (${low}–${(high ?? 0) - 1} replicas stayed undecided or untried)` : '';
  return `${name}: ${r.answer} replicas of ${r.role} are the fewest shown to meet ${sloText(slo)} at ${at}${range}; ${r.runs} runs.`;
}

/** The classes with an SLO that the probes measured, in the order the first probe has them. */
function classesOf(probes: readonly Pick<Probe, 'classes'>[]): string[] {
  const names = new Set<string>();
  for (const p of probes) for (const c of Object.keys(p.classes ?? {})) names.add(c);
  return [...names];
}

/** A class's columns: its pooled p99 with its interval, and its delivery ratio. */
function classCells(p: Pick<Probe, 'classes'>, classes: readonly string[]): string {
  return classes
    .map((name) => {
      const c = p.classes?.[name];
      return c === undefined ? ' – | – |' : ` ${p99Text(c)} | ${fmtPct(c.deliveryRatio)} |`;
    })
    .join('');
}

const classHeads = (classes: readonly string[]): string => classes.map((c) => ` class ${c} p99 | class ${c} delivery |`).join('');
const rule = (n: number): string => `|${' --- |'.repeat(n)}`;

export function probeTable(r: PlanResult): string[] {
  const classes = classesOf(r.probes);
  const head = `| ${r.kind === 'load' ? 'load' : r.kind === 'autoscale' ? 'target' : 'replicas'} | p99, pooled [decision interval] | mean of seeds' p99 | delivery |${classHeads(classes)} busiest role | seeds | verdict |`;
  const rows = r.probes.map(
    (p) =>
      `| ${r.kind === 'load' ? x(p.x) : p.x} | ${p99Text(p)} | ${Number.isFinite(p.p99MeanMs) ? fmtMs(p.p99MeanMs) : '–'} | ${fmtPct(p.deliveryRatio)} |${classCells(p, classes)} ${p.bottleneck.role} ${fmtPct(p.bottleneck.utilization)} | ${p.replications.length} | ${p.verdict} |`,
  );
  return [head, rule(7 + 2 * classes.length), ...rows];
}

export function leverTable(levers: readonly LeverResult[]): string[] {
  const classes = classesOf(levers.map((l) => l.probe));
  const rows = levers.map(
    (l) => `| ${l.label} | ${p99Text(l.probe)} | ${fmtPct(l.probe.deliveryRatio)} |${classCells(l.probe, classes)} ${fmtMoney(l.costPerDelivered)} | ${l.probe.replications.length} | ${l.probe.verdict} |`,
  );
  return [`| lever | p99, pooled [decision interval] | delivery |${classHeads(classes)} cost per delivered | seeds | verdict |`, rule(6 + 2 * classes.length), ...rows];
}

/** An autoscaler as one line: `target 0.64, 3–21 replicas (utilization, reactive)`. */
function autoscalerText(a: AutoscaleConfig): string {
  return `target ${sig(a.target ?? NaN)}, ${a.min ?? 1}–${a.max} replicas (${a.metric ?? 'utilization'}, ${a.policy ?? 'reactive'})`;
}

function candidateRow(label: string, c: AutoscaleCandidate): string {
  return `| ${label} | ${autoscalerText(c.autoscale)} | ${sig(c.replicaHours)} | ${c.minReplicas}–${c.maxReplicas} | ${p99Text(c.probe)} | ${fmtPct(c.probe.deliveryRatio)} | ${c.probe.replications.length} | ${c.probe.verdict} |`;
}

/** Replica-hours saved against the configuration's, in words: a configuration that breaks the SLOs may spend fewer. */
function versus(saved: number): string {
  if (saved > 0) return `${sig(saved)} fewer than`;
  if (saved < 0) return `${sig(-saved)} more than`;
  return 'as many as';
}

/** An autoscaled role's plan: the autoscaler recommended against the configuration's, then the target search. */
function autoscaleLines(name: string, r: PlanResult, slo: PlanSlo, load: number): string[] {
  const a = r.autoscale!;
  const at = load === 1 ? "today's load" : `${x(load)} today's load`;
  const rec = a.recommended;
  const configured = a.current === null ? '' : `the configuration's (${sig(a.current.replicaHours)}, ${a.current.probe.verdict === 'meets' ? 'meets the SLOs' : a.current.probe.verdict === 'breaks' ? 'breaks the SLOs' : 'undecided'})`;
  const head =
    rec === null
      ? `${name}: no ${a.metric} target of ${a.role}'s autoscaler tried is shown to meet ${sloText(slo)} at ${at} (${r.runs} runs).`
      : a.keepCurrent
        ? `${name}: keep ${a.role}'s autoscaler as configured (${autoscalerText(rec.autoscale)}): it meets ${sloText(slo)} at ${at} with ${sig(rec.replicaHours)} replica-hours per run, no more than any target found; ${r.runs} runs.`
        : `${name}: ${a.role}'s autoscaler at ${autoscalerText(rec.autoscale)} keeps ${sloText(slo)} at ${at} with ${sig(rec.replicaHours)} replica-hours per run` +
          (a.savedReplicaHours !== null && configured !== '' ? ` — ${versus(a.savedReplicaHours)} ${configured}` : '') +
          `; ${r.runs} runs.`;
  const rows = [
    '| autoscaler | setting | replica-hours | replicas used | p99, pooled [decision interval] | delivery | seeds | verdict |',
    '| --- | --- | ---: | --- | --- | ---: | ---: | --- |',
    ...(a.proposed !== null ? [candidateRow(a.keepCurrent ? 'target search' : 'recommended', a.proposed)] : []),
    ...(a.current !== null ? [candidateRow(a.keepCurrent ? 'configured (recommended)' : 'configured', a.current)] : []),
  ];
  const [low, high] = a.interval;
  const found =
    low !== null
      ? `highest target shown to meet ${sig(low)}${high !== null ? `, lowest above it not shown to ${sig(high)}` : ''}`
      : high !== null
        ? `no target shown to meet, down to ${sig(high)}`
        : 'no target decided';
  const search =
    `Target search (${a.metric} ${a.targetRange[0]}–${a.targetRange[1]}, min 1 and max ${a.searchMax} so the bounds do not bind): ${found}. ` +
    (a.minFound !== undefined
      ? `No target meeting from one replica, the fewest replicas to keep was searched at the configuration's target: min ${a.minFound}.`
      : 'The recommended min and max are the fewest and most replicas its runs used.');
  return [head, '', ...rows, '', search, ''];
}

export function planText(name: string, r: PlanResult, slo: PlanSlo, load = 1): string {
  if (r.kind === 'autoscale' && r.autoscale !== undefined) {
    const out = [...autoscaleLines(name, r, slo, load), ...probeTable(r)];
    if (r.notes.length > 0) out.push('', ...r.notes.map((n) => `Note: ${n}.`));
    return out.join('\n');
  }
  const out: string[] = [r.kind === 'load' ? loadHeadline(name, r, slo) : roleHeadline(name, r, slo, load), ''];
  out.push(...probeTable(r));
  const level = r.probes[0]?.level;
  if (level !== undefined) {
    out.push(
      '',
      `The SLO is judged on the pooled p99 (all seeds' messages in one histogram). A ${r.kind === 'load' ? 'load' : 'replica count'} meets the SLO only when its decision interval (${sig(level * 100)}%, two-sided) lies within it and breaks it only when the interval lies beyond; seeds are added until it is decided.`,
    );
  }
  if (r.bottleneck !== null) out.push('', `Bottleneck at ${x(r.bottleneck.x)}: ${r.bottleneck.text}`);
  if (r.levers.length > 0 && r.leverLoad !== null) {
    out.push('', `Levers, each simulated at ${x(r.leverLoad)}:`, '', ...leverTable(r.levers));
    if (r.recommendationText !== null) out.push('', r.recommendationText);
  }
  if (r.notes.length > 0) out.push('', ...r.notes.map((n) => `Note: ${n}.`));
  return out.join('\n');
}
