/** After the six sections: the search space and the Pareto front as a table. */
import { p, list, table, type Block, type Section } from '../doc.js';
import { fmtMoney, fmtMs, fmtPct } from '../units.js';
import type { ReportContext } from './context.js';

/** Pareto rows shown in the report; the rest are in pareto.csv. */
const PARETO_ROWS = 12;

export function searchSection(ctx: ReportContext): Section {
  const { r } = ctx;
  const blocks: Block[] = [p(`${r.space.dims.length} dimensions searched: ${r.space.dims.map((d) => `\`${d.name}\``).join(', ')}.`)];
  if (r.space.pruned.length > 0) blocks.push(list(r.space.pruned.map((x) => `left out \`${x.knob}\`: ${x.why}`)));
  blocks.push(p(`Pareto front over (p99, loss, cost per delivered): ${r.pareto.length} candidate${r.pareto.length === 1 ? '' : 's'}.`));
  if (r.pareto.length > 0) {
    const rows = r.pareto.slice(0, PARETO_ROWS).map((x) => [`#${x.candidate}`, fmtMs(x.p99), fmtPct(x.loss), fmtMoney(x.costPerDelivered)]);
    if (r.pareto.length > PARETO_ROWS) rows.push([`… ${r.pareto.length - PARETO_ROWS} more in pareto.csv`, '', '', '']);
    blocks.push(table(['candidate', 'p99', 'loss', 'cost / delivered'], rows, ['r', 'r', 'r', 'r']));
  }
  return { id: 'search', title: 'Search details', blocks };
}
