/** The head of a study report: what was studied, how, and the verdict in one line. */
import { p, type Block, type Section } from '../doc.js';
import { claimSentence, shortfallText } from '../format.js';
import type { Confirmation, Improvement } from '../../study/confirm.js';
import type { SloSpec } from '../../scenario/types.js';
import { fmtMs, fmtPct, sig } from '../units.js';
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
    const holds = adopt
      ? 'the winner, the closest configuration'
      : shortfall.closest === 'winner'
        ? 'the current configuration: the winner misses the SLOs by less in all, but is not adopted (section 3 says why)'
        : 'the current configuration, the closest one';
    out.push(p(`**Verdict: no configuration meets the SLOs** — ${shortfallText(shortfall, r.objective.slo, r.slo)}. best-config.json holds ${holds}; it is not a fix.${searchCut(r)}`));
    return out;
  }
  const verdict = adopt ? '**Verdict: adopt the winner** (best-config.json)' : '**Verdict: keep the current configuration**';
  // A winner adopted because it meets an SLO the current configuration
  // misses is introduced by that SLO's metric, not by an objective it may
  // pay for meeting it.
  const rescue = c !== null && adopt && !c.currentFeasible && c.winnerFeasible;
  const rescued = rescue ? rescuedMetric(c, r.slo) : undefined;
  // A rescue by class SLOs alone is told by the classes' figures.
  const classes = rescue && rescued === undefined ? rescuedClasses(c, r.slo) : [];
  const main = c !== null && ctx.distinct && classes.length === 0 ? (rescued ?? c.improvements.find((i) => i.metric === r.objective.primary)) : undefined;
  const meets = rescued !== undefined || classes.length > 0 ? ' — it meets the SLOs the current configuration misses' : '';
  out.push(p(`${verdict}${meets}${classes.length > 0 ? ` (${classes.join('; ')})` : ''}${main !== undefined ? ` — ${claimSentence(main)}` : ''}.`));
  return out;
}

/**
 * The search saw a sample of the space, not all of it: "no configuration
 * meets the SLOs" is about the configurations it tried, and a larger budget
 * tries more (on the search benchmark, studies at budget 100 met SLOs that
 * the same meshes' studies at budget 30 said no configuration met).
 */
function searchCut(r: ReportContext['r']): string {
  return ` The search tried ${r.evaluations.candidates} candidates over ${r.space.dims.length} dimensions with a budget of ${sig(r.budget)}: one that meets the SLOs may be among those it did not try, which a larger \`--budget\` looks for.`;
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

/** The class SLOs the current configuration misses on the fresh seeds, with the winner's figure: "interactive p99 4.6 s → 415 ms". */
function rescuedClasses(c: Confirmation, slo: SloSpec): string[] {
  const out: string[] = [];
  for (const [name, b] of Object.entries(slo.classes ?? {})) {
    const cur = c.current.classes?.[name];
    const win = c.winner.classes?.[name];
    if (cur === undefined || win === undefined) continue;
    if (b.p99 !== null && cur.p99 > b.p99) out.push(`${name} p99 ${fmtMs(cur.p99)} → ${fmtMs(win.p99)}`);
    if (b.deliveryRatio !== null && cur.deliveryRatio < b.deliveryRatio) out.push(`${name} delivery ${fmtPct(cur.deliveryRatio)} → ${fmtPct(win.deliveryRatio)}`);
  }
  return out;
}

/** The first SLO metric the current configuration misses on the fresh seeds and the winner meets. */
function rescuedMetric(c: Confirmation, slo: SloSpec): Improvement | undefined {
  const missed: Array<'deliveryRatio' | 'p99'> = [];
  if (slo.deliveryRatio !== null && c.current.deliveryRatio < slo.deliveryRatio) missed.push('deliveryRatio');
  if (slo.p99 !== null && c.current.p99 > slo.p99) missed.push('p99');
  return missed.map((m) => c.improvements.find((i) => i.metric === m)).find((i) => i !== undefined);
}
