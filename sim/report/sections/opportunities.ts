/** Section 2: what the search found, what was applied, and the trade-offs it saw on the way. */
import { configChanges } from '../../study/config-paths.js';
import { effectiveChanges } from '../../study/simplify.js';
import { DEFAULT_DELIVERY_SLO, feasible } from '../../study/objective.js';
import type { EvaluationRecord } from '../../study/types.js';
import { convergenceChart } from '../charts/convergence.js';
import { paretoChart } from '../charts/pareto.js';
import { figure, list, p, table, type Block, type Section } from '../doc.js';
import { changeText, capitalise } from '../format.js';
import { fmtMoney, fmtMs, fmtPct } from '../units.js';
import { NOT_RECORDED, type ReportContext } from './context.js';

/**
 * The extreme candidates of the Pareto front: fastest, most reliable,
 * cheapest. "Fastest" and "cheapest" count only candidates that lose no more
 * than the delivery SLO allows (99% when the scenario states none): a
 * configuration that drops nearly everything is fast and cheap per message,
 * and no trade-off anyone would take.
 */
function tradeOffs(ctx: ReportContext): Block[] {
  const { r, evals } = ctx;
  if (r.pareto.length < 2) return [];
  const byCandidate = new Map<number, EvaluationRecord>();
  for (const e of evals ?? []) {
    if (e.status !== 'ok' || (e.phase !== 'search' && e.phase !== 'auto')) continue;
    const prev = byCandidate.get(e.candidate);
    if (prev === undefined || e.level >= prev.level) byCandidate.set(e.candidate, e);
  }
  const maxLoss = 1 - (r.slo.deliveryRatio ?? DEFAULT_DELIVERY_SLO);
  const p99Bound = r.slo.p99;
  type Point = (typeof r.pareto)[number];
  // Why a point misses the SLOs on the search seeds, or null when it meets them.
  const misses = (pt: Point): string | null => {
    const why = [
      ...(pt.loss > maxLoss + 1e-12 ? [`loss ${fmtPct(pt.loss)} > ${fmtPct(maxLoss)}`] : []),
      ...(p99Bound !== null && !(pt.p99 <= p99Bound) ? [`p99 ${fmtMs(pt.p99)} > ${fmtMs(p99Bound)}`] : []),
    ];
    return why.length > 0 ? why.join(', ') : null;
  };
  const meeting = r.pareto.filter((pt) => misses(pt) === null);
  const acceptable = r.pareto.filter((pt) => pt.loss <= maxLoss + 1e-12);
  const pick = (key: 'p99' | 'loss' | 'costPerDelivered', among: readonly Point[]) =>
    [...among].sort((a, b) => a[key] - b[key] || a.candidate - b.candidate)[0];
  // The fastest and the cheapest among the candidates that meet the SLOs, else among those that lose no more than allowed.
  const eligible = meeting.length > 0 ? meeting : acceptable;
  const picks: Array<[string, Point | undefined]> = [
    ['lowest p99', pick('p99', eligible)],
    ['lowest loss', pick('loss', r.pareto)],
    ['lowest cost', pick('costPerDelivered', eligible)],
  ];
  const rows = picks.flatMap(([what, pt]) => {
    if (pt === undefined) return [];
    const rec = byCandidate.get(pt.candidate);
    const changes = rec !== undefined ? effectiveChanges(r.current.config, rec.config).map(changeText).join('; ') || 'none' : 'see evaluations.jsonl';
    const why = misses(pt);
    return [[what, `#${pt.candidate}`, fmtMs(pt.p99), fmtPct(pt.loss), fmtMoney(pt.costPerDelivered), why === null ? 'yes' : `no: ${why}`, changes]];
  });
  const among = meeting.length > 0 ? 'among the candidates that meet the SLOs' : `among candidates that lose at most ${fmtPct(maxLoss)} (none met every SLO)`;
  return [
    p(`Trade-offs on the Pareto front (search seeds): what a different priority would pick — the fastest and the cheapest ${among}.`),
    table(['best for', 'candidate', 'p99', 'loss', 'cost / delivered', 'meets the SLOs', 'changes from the current configuration'], rows, ['l', 'r', 'r', 'r', 'r', 'l', 'l']),
  ];
}

export function opportunitiesSection(ctx: ReportContext): Section {
  const { r, evals } = ctx;
  const blocks: Block[] = [];
  const w = r.winner;
  if (w === null) blocks.push(p('No candidate could be evaluated within the budget.'));
  else if (w.changes.length === 0) blocks.push(p('None: the current configuration was the best candidate the search found.'));
  else {
    blocks.push(p(`The best candidate (#${w.candidate}) changes:`), list(w.changes.map(changeText)));
    const applied =
      r.recommendation.action === 'adopt'
        ? '**Applied**: best-config.json holds this configuration.'
        : `**Not applied**: best-config.json keeps the current configuration. ${capitalise(r.recommendation.reasons.join('; '))}.`;
    blocks.push(p(applied));
    if (w.reverted.length > 0) {
      blocks.push(p(`Kept as they are, because changing them was shown not to help on the search seeds: ${w.reverted.map((c) => `\`${c.path}\``).join(', ')}.`));
    }
    const unconfirmed = new Set((w.unconfirmed ?? []).map((c) => c.path));
    const untested = (w.untested ?? []).filter((c) => !unconfirmed.has(c.path));
    const paths = (list: ReadonlyArray<{ path: string }>): string => list.map((c) => `\`${c.path}\``).join(', ');
    if (untested.length > 0) {
      blocks.push(p(`Not shown to matter, kept because the budget ran out before they were tested: ${paths(untested)}. A larger \`--budget\` tests them.`));
    }
    if (unconfirmed.size > 0) {
      blocks.push(
        p(
          `Found not to matter on the cheap screening (a third of the timeline, one seed), but kept: the budget ran out before that was confirmed on the search seeds: ${paths(w.unconfirmed!)}. A larger \`--budget\` confirms it or keeps them.`,
        ),
      );
    }
    if (w.rank !== undefined && w.rank > 1) {
      blocks.push(p(`This is the search's candidate of rank ${w.rank}: the better-ranked ones missed an SLO on the fresh seeds.`));
    }
  }
  if (evals !== null) {
    const search = evals.filter((e) => e.phase === 'search' && e.status === 'ok' && e.outcome !== null);
    const top = Math.max(-1, ...search.map((e) => e.level));
    const atTop = search.filter((e) => e.level === top);
    const ok = atTop.filter((e) => feasible(r.objective, e.outcome!));
    if (atTop.length > 0) blocks.push(p(`${ok.length} of the ${atTop.length} evaluations at the top fidelity met the ${r.mode} mode's constraints.`));
  }
  blocks.push(...tradeOffs(ctx));
  const conv = evals !== null ? convergenceChart(evals, r.objective, ctx.c?.current ?? r.current.outcome) : null;
  if (conv !== null) {
    blocks.push(
      figure(
        'Convergence: the objective of every evaluation (hollow: missed the constraints) and the best so far per fidelity rung; cheap rungs screen, the top rung decides.',
        conv,
      ),
    );
  } else blocks.push(p(`Convergence chart: ${evals === null ? 'evaluations.jsonl is missing from the study folder' : 'no search evaluation completed'}.`));
  const par = paretoChart(r, evals);
  if (par !== null) blocks.push(figure('Pareto front over p99, loss and cost (colour); grey: the other candidates at their highest rung. Search seeds.', par));
  if (ctx.ev === null && r.pareto.length === 0) blocks.push(p(NOT_RECORDED));
  return { id: 'opportunities', title: '2. Opportunities found and applied', blocks };
}
