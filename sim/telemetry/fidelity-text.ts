/** The fidelity table for the terminal (and the README). */
import { errorRatesDiffer, MIN_JUDGED, type FidelityReport, type FidelityRow, type Side } from './fidelity.js';

export function fidelityText(r: FidelityReport): string {
  const head = ['', 'n trace/model', 'p50 ms trace/model (Δ)', 'p90 ms trace/model (Δ)', 'p99 ms trace/model (Δ)', 'KS D', 'per s trace/model', 'errors trace/model', ''];
  const rows = r.rows.map((row) => cells(row, r.tolerance));
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((c) => c[i]!.length)));
  const line = (c: string[]): string => c.map((x, i) => (i === 0 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join('  ').trimEnd();
  const out = [
    `fidelity of ${r.scenario} against ${r.against.format} ${r.against.files.join(' ')} (seed ${r.seed}; tolerance ${pct(r.tolerance)} on p50, p90, the error rate, and p99 where both sides pin it down)`,
    line(head),
    ...rows.map(line),
    '',
    !r.rows.some((x) => x.judged)
      ? `verdict: nothing judged (every row has too few values on a side — fewer than ${MIN_JUDGED}, or too few to pin its p50 and p90 down to the tolerance)`
      : r.pass ? 'verdict: within tolerance' : `verdict: outside tolerance (${r.rows.filter((x) => !x.pass).map((x) => x.name).join(', ')})`,
    ...r.notes.map((n) => `note: ${n}`),
  ];
  return `${out.join('\n')}\n`;
}

function cells(row: FidelityRow, tolerance: number): string[] {
  const t = row.trace;
  const m = row.model;
  const pair = (f: (s: Side) => string): string => `${t ? f(t) : '—'} / ${m ? f(m) : '—'}`;
  const q = (k: 'p50' | 'p90' | 'p99'): string => `${pair((s) => ms(s[k]))}${row.delta ? ` (${signed(row.delta[k])})` : ''}`;
  return [
    row.kind === 'service' ? `${row.name} (own time)` : row.name,
    pair((s) => String(s.n)),
    q('p50'),
    q('p90'),
    // A p99 the samples do not pin down is shown but fails nothing.
    `${q('p99')}${row.judged && !row.p99Judged && row.model !== null ? ' not judged' : ''}`,
    row.ks === null ? '—' : row.ks.toFixed(3),
    pair((s) => s.throughputPerSec.toFixed(1)),
    // Errors off the trace's beyond the tolerance and the noise are marked: they fail the row.
    `${pair((s) => pct(s.errorRate))}${t && m && row.judged && errorRatesDiffer(t, m, tolerance) ? ' (off)' : ''}`,
    !row.judged ? 'not judged' : row.pass ? 'ok' : 'FAIL',
  ];
}

function ms(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

function signed(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  return `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
}

function pct(x: number): string {
  return `${Number((x * 100).toPrecision(3))}%`;
}
