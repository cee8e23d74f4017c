/** The head of a study report: what was studied, how, and the verdict in one line. */
import { p, type Block, type Section } from '../doc.js';
import { claimSentence, shortfallText } from '../format.js';
import type { Confirmation, Improvement } from '../../study/confirm.js';
import type { SloSpec } from '../../scenario/types.js';
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
  const shortfall = r.recommendation.shortfall ?? null;
  const adopt = r.recommendation.action === 'adopt';
  if (shortfall !== null) {
    const holds = adopt ? 'the winner, the closest configuration' : 'the current configuration, the closest one';
    out.push(p(`**Verdict: no configuration meets the SLOs** — ${shortfallText(shortfall, r.slo)}. best-config.json holds ${holds}; it is not a fix.`));
    return out;
  }
  const verdict = adopt ? '**Verdict: adopt the winner** (best-config.json)' : '**Verdict: keep the current configuration**';
  // A winner adopted because it meets an SLO the current configuration
  // misses is introduced by that SLO's metric, not by an objective it may
  // pay for meeting it.
  const rescued = c !== null && adopt && !c.currentFeasible && c.winnerFeasible ? rescuedMetric(c, r.slo) : undefined;
  const main = c !== null && ctx.distinct ? (rescued ?? c.improvements.find((i) => i.metric === r.objective.primary)) : undefined;
  out.push(p(`${verdict}${rescued !== undefined ? ' — it meets the SLOs the current configuration misses' : ''}${main !== undefined ? ` — ${claimSentence(main)}` : ''}.`));
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

/** The first SLO metric the current configuration misses on the fresh seeds and the winner meets. */
function rescuedMetric(c: Confirmation, slo: SloSpec): Improvement | undefined {
  const missed: Array<'deliveryRatio' | 'p99'> = [];
  if (slo.deliveryRatio !== null && c.current.deliveryRatio < slo.deliveryRatio) missed.push('deliveryRatio');
  if (slo.p99 !== null && c.current.p99 > slo.p99) missed.push('p99');
  return missed.map((m) => c.improvements.find((i) => i.metric === m)).find((i) => i !== undefined);
}
