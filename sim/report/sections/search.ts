/** After the six sections: the search space and the Pareto front as a table. */
import { p, list, table, type Block, type Section } from '../doc.js';
import { fmtMoney, fmtMs, fmtPct, sig } from '../units.js';
import type { PhaseSpend } from '../../study/study.js';
import type { PhaseWall } from '../../study/persist.js';
import type { ReportContext } from './context.js';

/** Pareto rows shown in the report; the rest are in pareto.csv. */
const PARETO_ROWS = 12;

export function searchSection(ctx: ReportContext): Section {
  const { r } = ctx;
  const blocks: Block[] = [p(`${r.space.dims.length} dimensions searched: ${r.space.dims.map((d) => `\`${d.name}\``).join(', ')}.`)];
  if (r.phases !== undefined) blocks.push(phaseTable(r.phases, ctx.data.run?.phasesWallMs));
  if (r.space.pruned.length > 0) blocks.push(list(r.space.pruned.map((x) => `left out \`${x.knob}\`: ${x.why}`)));
  blocks.push(p(`Pareto front over (p99, loss, cost per delivered): ${r.pareto.length} candidate${r.pareto.length === 1 ? '' : 's'}.`));
  if (r.pareto.length > 0) {
    const rows = r.pareto.slice(0, PARETO_ROWS).map((x) => [`#${x.candidate}`, fmtMs(x.p99), fmtPct(x.loss), fmtMoney(x.costPerDelivered)]);
    if (r.pareto.length > PARETO_ROWS) rows.push([`… ${r.pareto.length - PARETO_ROWS} more in pareto.csv`, '', '', '']);
    blocks.push(table(['candidate', 'p99', 'loss', 'cost / delivered'], rows, ['r', 'r', 'r', 'r']));
  }
  return { id: 'search', title: 'Search details', blocks };
}

const PHASES = [
  ['search', 'search'],
  ['simplify', 'simplification'],
  ['confirm', 'confirmation'],
  ['evidence', 'evidence for this report'],
] as const;

/** What each phase spent, in full-run equivalents, and its wall time where recorded. */
function phaseTable(spent: PhaseSpend, wall: PhaseWall | undefined): Block {
  const rows = PHASES.map(([k, label]) => [label, sig(spent[k]), wall?.[k] !== undefined ? `${sig(wall[k]! / 1000)} s` : '–']);
  return table(['phase', 'runs (full-run equivalents)', 'wall time'], rows, ['l', 'r', 'r']);
}
