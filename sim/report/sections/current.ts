/** Section 1: the current configuration and what it measures on fresh seeds. */
import { shownInterval } from '../../metrics/replications.js';
import type { StoredMetrics } from '../../study/types.js';
import { note, p, table, type Block, type Section } from '../doc.js';
import { sloStatus } from '../format.js';
import { fmtMoney, fmtMs, fmtPct, sig } from '../units.js';
import type { ReportContext } from './context.js';

interface Row {
  label: string;
  path: string;
  get: (m: StoredMetrics) => number;
  fmt: (x: number) => string;
  slo?: string;
}

/** A value with its 95% CI over the confirmation seeds, when there is one. */
export function withCi(m: StoredMetrics, path: string, value: number, fmt: (x: number) => string): string {
  const ci = m.ci95?.[path];
  if (ci === undefined || !Number.isFinite(ci[0]) || ci[0] === ci[1]) return fmt(value);
  const [lo, hi] = shownInterval(path, ci);
  return `${fmt(value)} [${fmt(lo)}, ${fmt(hi)}]`;
}

export function currentSection(ctx: ReportContext): Section {
  const { r, c, distinct } = ctx;
  const blocks: Block[] = [];
  blocks.push({ kind: 'code', lang: 'json', text: JSON.stringify(r.current.config, null, 2) });
  const slo = r.slo;
  const rows: Row[] = [
    { label: 'p50 latency', path: 'latencyMs.p50', get: (m) => m.latencyMs.p50, fmt: fmtMs },
    { label: 'p99 latency', path: 'latencyMs.p99', get: (m) => m.latencyMs.p99, fmt: fmtMs, ...(slo.p99 !== null ? { slo: `≤ ${fmtMs(slo.p99)}` } : {}) },
    { label: 'p99.9 latency', path: 'latencyMs.p999', get: (m) => m.latencyMs.p999, fmt: fmtMs },
    { label: 'mean latency', path: 'latencyMs.mean', get: (m) => m.latencyMs.mean, fmt: fmtMs },
    { label: 'delivery ratio', path: 'deliveryRatio', get: (m) => m.deliveryRatio, fmt: fmtPct, ...(slo.deliveryRatio !== null ? { slo: `≥ ${fmtPct(slo.deliveryRatio)}` } : {}) },
    { label: 'throughput', path: 'throughputPerSec', get: (m) => m.throughputPerSec, fmt: (x) => `${sig(x)}/s` },
    { label: 'cost per delivered message', path: 'cost.perDelivered', get: (m) => m.cost.perDelivered, fmt: fmtMoney },
    { label: 'cost per run', path: 'cost.total', get: (m) => m.cost.total, fmt: fmtMoney },
  ];
  const cur = r.current.metrics;
  const win = distinct ? r.winnerMetrics : null;
  // Per priority class: its p99 and delivery, beside the class's own SLO.
  for (const name of Object.keys(cur?.classes ?? {})) {
    const cs = slo.classes?.[name];
    rows.push(
      { label: `${name}: p99 latency`, path: `classes.${name}.latencyMs.p99`, get: (m) => m.classes?.[name]?.latencyMs.p99 ?? NaN, fmt: fmtMs, ...(cs !== undefined && cs.p99 !== null ? { slo: `≤ ${fmtMs(cs.p99)}` } : {}) },
      { label: `${name}: delivery ratio`, path: `classes.${name}.deliveryRatio`, get: (m) => m.classes?.[name]?.deliveryRatio ?? NaN, fmt: fmtPct, ...(cs !== undefined && cs.deliveryRatio !== null ? { slo: `≥ ${fmtPct(cs.deliveryRatio)}` } : {}) },
    );
  }
  if (cur !== null) {
    const head = ['metric', 'current [95% CI]', ...(win !== null ? ['winner [95% CI]'] : []), 'SLO'];
    const body = rows.map((row) => [
      row.label,
      withCi(cur, row.path, row.get(cur), row.fmt),
      ...(win !== null ? [withCi(win, row.path, row.get(win), row.fmt)] : []),
      row.slo ?? '–',
    ]);
    blocks.push(table(head, body, ['l', 'r', ...(win !== null ? (['r'] as const) : []), 'l']));
    blocks.push(p(`Means over ${cur.replications} fresh seeds the search never saw, with their 95% confidence intervals (Student t over seeds).`));
  } else if (r.current.outcome !== null) {
    const o = r.current.outcome;
    blocks.push(
      table(
        ['metric', 'current'],
        [
          ['p99 latency', fmtMs(o.p99)],
          ['mean latency', fmtMs(o.meanLatency)],
          ['delivery ratio', fmtPct(o.deliveryRatio)],
          ['throughput', `${sig(o.throughput)}/s`],
          ['cost per delivered message', fmtMoney(o.costPerDelivered)],
        ],
        ['l', 'r'],
      ),
      p('Means over the search seeds (the confirmation runs did not complete).'),
    );
  } else {
    blocks.push(p('No run of the current configuration completed.'));
  }
  const o = c?.current ?? r.current.outcome;
  if (o !== null) blocks.push(p(`SLO status of the current configuration: ${sloStatus(o, slo, c?.currentShown)}.`));
  const bounds = [r.objective.slo.p99 !== null ? `p99 ≤ ${fmtMs(r.objective.slo.p99)}` : null, r.objective.slo.deliveryRatio !== null ? `delivery ratio ≥ ${fmtPct(r.objective.slo.deliveryRatio)}` : null].filter(
    (x): x is string => x !== null,
  );
  for (const [name, b] of Object.entries(r.objective.slo.classes ?? {})) {
    if (b.p99 !== null) bounds.push(`${name} p99 ≤ ${fmtMs(b.p99)}`);
    if (b.deliveryRatio !== null) bounds.push(`${name} delivery ratio ≥ ${fmtPct(b.deliveryRatio)}`);
  }
  blocks.push(p(bounds.length > 0 ? `Constraints the ${r.mode} mode enforces in the search: ${bounds.join(', ')}.` : `The ${r.mode} mode enforces no constraint in the search.`));
  for (const n of r.objective.notes) blocks.push(note(n));
  return { id: 'current', title: '1. Current configuration and metrics', blocks };
}
