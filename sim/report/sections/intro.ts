/** The head of a study report: what was studied, how, and the verdict in one line. */
import { p, type Block, type Section } from '../doc.js';
import { claimSentence } from '../format.js';
import { sig } from '../units.js';
import type { ReportContext } from './context.js';

export function introBlocks(ctx: ReportContext): Block[] {
  const { r, c } = ctx;
  const out: Block[] = [];
  out.push(p(`Scenario **${r.scenario.name}**${r.scenario.description ? ` — ${r.scenario.description.replace(/[.!?]$/, '')}` : ''}.`));
  out.push(
    p(
      `Mode **${r.mode}**${r.requestedMode === 'auto' ? ' (chosen by auto)' : ''}; strategy ${r.strategy}; budget ${sig(r.budget)} full-run equivalents, ${sig(r.spent)} spent on ${r.evaluations.total} evaluations of ${r.evaluations.candidates} candidates${r.evaluations.failed > 0 ? ` (${r.evaluations.failed} failed)` : ''}. ` +
        `Search seeds ${r.seeds.search.join(', ')}; confirmation on ${r.seeds.confirm.length} fresh seeds (${r.seeds.confirm[0] ?? '–'}…), paired by seed.`,
    ),
  );
  const verdict = r.recommendation.action === 'adopt' ? '**Verdict: adopt the winner** (best-config.json)' : '**Verdict: keep the current configuration**';
  const main = c !== null && ctx.distinct ? c.improvements.find((i) => i.metric === r.objective.primary) : undefined;
  out.push(p(`${verdict}${main !== undefined ? ` — ${claimSentence(main)}` : ''}.`));
  return out;
}

/** Why auto chose this mode (auto studies only). */
export function whySection(ctx: ReportContext): Section | null {
  const { r } = ctx;
  if (r.auto === null) return null;
  const w = r.auto.weights;
  return {
    id: 'why',
    title: 'Why this mode',
    blocks: [{ kind: 'list', items: [...r.auto.reasons, `weights: latency ${sig(w.latency, 2)}, loss ${sig(w.loss, 2)}, cost ${sig(w.cost, 2)}`] }],
  };
}
