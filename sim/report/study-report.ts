/**
 * The first report of a study (`report.md`): the current configuration and
 * its metrics, the change found, the improvement with 95% confidence
 * intervals measured on fresh seeds, and a short reliability status. Takes
 * plain data (a study result) and returns Markdown; no I/O.
 */
import type { Improvement } from '../study/confirm.js';
import type { ConfigChange } from '../study/config-paths.js';
import type { StudyResult } from '../study/study.js';
import type { Outcome } from '../study/types.js';
import { fmtMoney, fmtMs, fmtPct, sig } from './units.js';

export interface StudyReportData {
  id: string;
  result: StudyResult;
  versions: { node: string; meshtune: string };
  run?: { workers: number; wallMs: number; replayed: number };
}

const METRIC_LABEL: Record<Improvement['metric'], string> = {
  p99: 'p99 latency',
  deliveryRatio: 'delivery ratio',
  costPerDelivered: 'cost per delivered message',
};

function fmtMetric(metric: Improvement['metric'], x: number): string {
  if (metric === 'p99') return fmtMs(x);
  if (metric === 'deliveryRatio') return fmtPct(x);
  return fmtMoney(x);
}

/** A difference in a metric's own unit, with its sign. */
function fmtDiff(metric: Improvement['metric'], x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const sign = x > 0 ? '+' : x < 0 ? '−' : '';
  const a = Math.abs(x);
  if (metric === 'deliveryRatio') return `${sign}${sig(a * 100)} pp`;
  return `${sign}${fmtMetric(metric, a)}`;
}

function fmtRel(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  return `${x > 0 ? '+' : x < 0 ? '−' : ''}${sig(Math.abs(x) * 100)}%`;
}

/** An absent value is "off" where the other side is a block (a mechanism), "default" where it is a single knob. */
function fmtValue(v: unknown, other: unknown): string {
  if (v === undefined) return other !== null && typeof other === 'object' ? 'off' : 'default';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

export function changeLines(changes: readonly ConfigChange[]): string[] {
  return changes.map((c) => `- \`${c.path}\`: ${fmtValue(c.from, c.to)} → ${fmtValue(c.to, c.from)}`);
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

function outcomeTable(rows: Array<[string, Outcome | null]>, slo: StudyResult['objective']['slo']): string[] {
  const out = ['| | p99 | mean latency | delivery ratio | throughput | cost / delivered |', '| --- | ---: | ---: | ---: | ---: | ---: |'];
  for (const [name, o] of rows) {
    if (o === null) continue;
    out.push(`| ${name} | ${fmtMs(o.p99)} | ${fmtMs(o.meanLatency)} | ${fmtPct(o.deliveryRatio)} | ${sig(o.throughput)}/s | ${fmtMoney(o.costPerDelivered)} |`);
  }
  const bounds = [slo.p99 !== null ? `p99 ≤ ${fmtMs(slo.p99)}` : null, slo.deliveryRatio !== null ? `delivery ratio ≥ ${fmtPct(slo.deliveryRatio)}` : null].filter(
    (x): x is string => x !== null,
  );
  out.push('', bounds.length > 0 ? `Constraints in force: ${bounds.join(', ')}.` : 'No SLO constrains this mode.');
  return out;
}

/** Each of the scenario's SLOs, met or missed. */
function sloStatus(o: Outcome, slo: StudyResult['slo']): string {
  const parts: string[] = [];
  if (slo.deliveryRatio !== null) {
    parts.push(`delivery ${fmtPct(o.deliveryRatio)} ${o.deliveryRatio >= slo.deliveryRatio ? 'meets' : 'misses'} the ${fmtPct(slo.deliveryRatio)} SLO`);
  }
  if (slo.p99 !== null) parts.push(`p99 ${fmtMs(o.p99)} ${o.p99 <= slo.p99 ? 'meets' : 'misses'} the ${fmtMs(slo.p99)} SLO`);
  return parts.length > 0 ? parts.join('; ') : `delivery ${fmtPct(o.deliveryRatio)}, p99 ${fmtMs(o.p99)} (the scenario states no SLO)`;
}

function lostLine(name: string, m: StudyResult['current']['metrics']): string | null {
  if (m === null) return null;
  const lost = Object.entries(m.messages.lost)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${k} ${sig(v)}`)
    .join(', ');
  return `- ${name}: delivery ${fmtPct(m.deliveryRatio)}; lost per run: ${lost || 'none'}; retries ${sig(m.retries)}, hedges ${sig(m.hedges)}, breaker opens ${sig(m.breakerOpens)}`;
}

const capitalise = (s: string): string => (s === '' ? s : s[0]!.toUpperCase() + s.slice(1));

export function renderStudyReport(data: StudyReportData): string {
  const r = data.result;
  const c = r.confirmation;
  const L: string[] = [];
  L.push(`# Study ${data.id}`, '');
  L.push(`Scenario **${r.scenario.name}**${r.scenario.description ? ` — ${r.scenario.description.replace(/[.!?]$/, '')}` : ''}.`);
  L.push(
    `Mode **${r.mode}**${r.requestedMode === 'auto' ? ' (chosen by auto)' : ''}; strategy ${r.strategy}; budget ${sig(r.budget)} full-run equivalents, ${sig(r.spent)} spent on ${r.evaluations.total} evaluations of ${r.evaluations.candidates} candidates${r.evaluations.failed > 0 ? ` (${r.evaluations.failed} failed)` : ''}.`,
  );
  L.push(`Search seeds ${r.seeds.search.join(', ')}; confirmation on ${r.seeds.confirm.length} fresh seeds (${r.seeds.confirm[0]}…), paired by seed.`, '');

  if (r.auto !== null) {
    L.push('## Why this mode', '');
    for (const reason of r.auto.reasons) L.push(`- ${reason}`);
    const w = r.auto.weights;
    L.push(`- weights: latency ${sig(w.latency, 2)}, loss ${sig(w.loss, 2)}, cost ${sig(w.cost, 2)}`, '');
  }
  for (const note of r.objective.notes) L.push(`> ${note}`);
  if (r.objective.notes.length > 0) L.push('');

  L.push('## Current configuration and metrics', '');
  L.push('```json', JSON.stringify(r.current.config, null, 2), '```', '');
  L.push(...outcomeTable([['current', c?.current ?? r.current.outcome], ...(c && !c.sameConfig ? ([['winner', c.winner]] as Array<[string, Outcome]>) : [])], r.objective.slo));
  L.push('', c ? `Means over ${c.seeds.length} fresh seeds.` : 'Means over the search seeds.', '');

  L.push('## Opportunities found', '');
  if (r.winner === null) L.push('No candidate could be evaluated within the budget.');
  else if (r.winner.changes.length === 0) L.push('None: the current configuration was the best candidate the search found.');
  else {
    L.push(`The best candidate (#${r.winner.candidate}) changes:`, '', ...changeLines(r.winner.changes));
    if (r.winner.reverted.length > 0) {
      L.push('', `Kept as they are, because changing them did not help on the search seeds: ${r.winner.reverted.map((c) => `\`${c.path}\``).join(', ')}.`);
    }
  }
  L.push('');

  L.push('## Improvement (fresh seeds, 95% CI)', '');
  if (c === null) L.push('Not measured (no winner, or its confirmation runs failed).');
  else if (c.sameConfig) L.push('Nothing to compare: the winner is the current configuration.');
  else for (const i of c.improvements) L.push(`- ${claimSentence(i)}`);
  L.push('');
  const action = r.recommendation.action === 'adopt' ? '**Adopt the change** (best-config.json).' : '**Keep the current configuration**.';
  L.push(`Recommendation: ${action} ${capitalise(r.recommendation.reasons.join('; '))}.`, '');

  L.push('## Reliability status', '');
  const rel = [lostLine('current', r.current.metrics), c && !c.sameConfig ? lostLine('winner', r.winnerMetrics) : null].filter((x): x is string => x !== null);
  L.push(...(rel.length > 0 ? rel : ['- no confirmation metrics']));
  if (c !== null) {
    L.push(`- current configuration on fresh seeds: ${sloStatus(c.current, r.slo)}`);
    if (!c.sameConfig) L.push(`- winner on fresh seeds: ${sloStatus(c.winner, r.slo)}`);
  }
  L.push('');

  L.push('## Search', '');
  L.push(`${r.space.dims.length} dimensions searched: ${r.space.dims.map((d) => `\`${d.name}\``).join(', ')}.`);
  for (const p of r.space.pruned) L.push(`- left out \`${p.knob}\`: ${p.why}`);
  L.push('', `Pareto front over (p99, loss, cost per delivered): ${r.pareto.length} candidates.`, '');
  if (r.pareto.length > 0) {
    L.push('| candidate | p99 | loss | cost / delivered |', '| ---: | ---: | ---: | ---: |');
    for (const p of r.pareto.slice(0, 12)) L.push(`| #${p.candidate} | ${fmtMs(p.p99)} | ${fmtPct(p.loss)} | ${fmtMoney(p.costPerDelivered)} |`);
    if (r.pareto.length > 12) L.push(`| … ${r.pareto.length - 12} more in pareto.csv | | | |`);
    L.push('');
  }
  const run = data.run ? `; ${data.run.workers} workers, ${sig(data.run.wallMs / 1000)} s wall${data.run.replayed > 0 ? `, ${data.run.replayed} evaluations replayed from an interrupted run` : ''}` : '';
  L.push(`meshtune ${data.versions.meshtune}, Node ${data.versions.node}${run}.`);
  return `${L.join('\n')}\n`;
}
