import type { BenchComparison, TaskComparison } from './bench.js';
import type { MetricComparison, ReplicationsComparison } from './replications.js';
import type { SnapshotCheck } from './snapshot.js';

/**
 * The gate's verdicts as Markdown: a heading with the overall result, one
 * table row per task or metric, then notes. The same text goes to stdout and
 * to `--markdown F` (a CI job summary). Pure.
 */

export type Comparison = BenchComparison | ReplicationsComparison;

/** Four significant digits, no exponent for ordinary magnitudes. */
export function num(x: number): string {
  if (Number.isNaN(x)) return '—';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (x !== 0 && (Math.abs(x) >= 1e6 || Math.abs(x) < 1e-3)) return x.toExponential(3);
  if (Math.abs(x) >= 10000) return x.toFixed(0);
  return String(Number(x.toPrecision(4)));
}

/** A signed percentage: +12.3%, −4.0%. */
export function signedPct(x: number): string {
  if (Number.isNaN(x)) return '—';
  if (!Number.isFinite(x)) return x > 0 ? '+∞' : '−∞';
  const v = (x * 100).toFixed(1);
  return x > 0 ? `+${v}%` : x < 0 ? `−${v.slice(1)}%` : '0.0%';
}

function pValue(p: number): string {
  if (Number.isNaN(p)) return '—';
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

const MARK: Record<string, string> = {
  slower: '❌ slower',
  worse: '❌ worse',
  faster: '✅ faster',
  better: '✅ better',
  'no change': 'no change',
  untested: '⚠️ untested',
  'no evidence': '⚠️ no evidence',
  'not gated': 'not gated',
};

function benchRow(t: TaskComparison): string {
  const unit = `${cell(t.unit)}${t.higherIsBetter ? '' : ' ↓'}`;
  return (
    `| ${cell(t.name)} | ${unit} | ${num(t.baselineMedian)} | ${num(t.candidateMedian)} | ${signedPct(t.change)} | ` +
    `${num(t.ratioLo)}–${num(t.ratioHi)} | ${pValue(t.p)} | ${MARK[t.verdict]} | ${t.reason} |`
  );
}

/** The threshold as a percentage (no sign: 0.0% for a threshold of 0). */
function thresholdPct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

function interval(v: { lo: number; hi: number }): string {
  return `${num(v.lo)}–${num(v.hi)}`;
}

function metricRow(m: MetricComparison): string {
  const label = `${m.label}${m.unit !== '' ? ` (${m.unit})` : ''}${m.higherIsBetter ? '' : ' ↓'}`;
  return (
    `| ${label} | ${num(m.baseline.mean)} [${interval(m.baseline)}] | ${num(m.candidate.mean)} [${interval(m.candidate)}] | ` +
    `${signedPct(m.change)}${m.judgedChange !== m.change ? ` (loss ${signedPct(m.judgedChange)})` : ''} | ${pValue(m.p)} | ${m.evidence ?? '—'} | ${MARK[m.verdict]} |`
  );
}

/** The heading line: what was compared and the overall verdict. */
function heading(c: Comparison, title: string): string {
  const bad = c.kind === 'bench' ? c.tasks.filter((t) => t.verdict === 'slower').length : c.metrics.filter((m) => m.verdict === 'worse').length;
  const what = c.kind === 'bench' ? 'task' : 'metric';
  const verdict = c.kind === 'bench' && c.noEvidence
    ? `❌ no task had samples enough to test: the gate has no evidence that nothing is slower`
    : c.failed
    ? `❌ ${bad} ${what}${bad === 1 ? '' : 's'} significantly worse by more than ${thresholdPct(c.threshold)}`
    : `✅ nothing significantly worse by more than ${thresholdPct(c.threshold)}`;
  return `## ${title}\n\n${verdict}\n`;
}

export function comparisonMarkdown(c: Comparison, labels: { baseline: string; candidate: string; title?: string }): string {
  const lines: string[] = [heading(c, labels.title ?? 'Regression gate')];
  lines.push(`Baseline \`${labels.baseline}\` → candidate \`${labels.candidate}\`.`, '');
  if (c.kind === 'bench') {
    lines.push(
      'Per task: medians, their change, the bootstrap 95% CI of the ratio of medians, the Mann–Whitney p-value. ' +
        'Slower/faster = beyond the threshold with 95% confidence (one-sided bootstrap bound) and p < 0.05 (↓ = lower is better).',
      '',
      '| task | unit | baseline | candidate | change | ratio 95% CI | p | verdict | why |',
      '| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- |',
      ...c.tasks.map(benchRow),
    );
  } else {
    lines.push(
      `Means over ${c.replications.baseline} → ${c.replications.candidate} replications with their 95% CIs; ` +
        "p from Welch's t on the means and CI half-widths, significant by Holm's step-down over the metrics at 5%. Worse/better = significant and a relative change beyond the threshold — the delivery ratio's by its loss (↓ = lower is better).",
      '',
      '| metric | baseline [95% CI] | candidate [95% CI] | change | p | evidence | verdict |',
      '| --- | ---: | ---: | ---: | ---: | --- | --- |',
      ...c.metrics.map(metricRow),
    );
  }
  if (c.notes.length > 0) lines.push('', ...c.notes.map((n) => `- ${n}`));
  return `${lines.join('\n')}\n`;
}

/** The model-snapshot part of the suite gate. */
export function snapshotMarkdown(check: SnapshotCheck): string {
  const lines = ['## Model snapshots', ''];
  if (check.ok) {
    lines.push(`✅ ${check.matched.length} scenario${check.matched.length === 1 ? '' : 's'} reproduce their committed metrics exactly.`);
  } else {
    lines.push('❌ the simulated metrics moved:', '');
    for (const d of check.changed) {
      lines.push(`- **${d.scenario}**: ${d.diffs.length} metric${d.diffs.length === 1 ? '' : 's'} changed`);
      for (const x of d.diffs.slice(0, 12)) lines.push(`  - \`${x.path}\`: ${x.baseline} → ${x.candidate}`);
      if (d.diffs.length > 12) lines.push(`  - … and ${d.diffs.length - 12} more`);
    }
    for (const s of check.missing) lines.push(`- **${s}**: no committed snapshot`);
    for (const s of check.stale) lines.push(`- **${s}**: snapshot of a scenario no longer in the library`);
    lines.push('', check.howToUpdate);
  }
  return `${lines.join('\n')}\n`;
}
