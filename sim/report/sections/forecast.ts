/**
 * Section 5: predictive recommendations from the load forecast — how much
 * load growth the winner absorbs before an SLO breaks, which role saturates
 * first, and what to change before then.
 */
import { SATURATED, type Forecast, type ForecastLimit, type ForecastPoint } from '../../study/evidence.js';
import { forecastDeliveryChart, forecastP99Chart } from '../charts/forecast.js';
import { figure, list, p, table, type Block, type Section } from '../doc.js';
import { fmtFactor, fmtShare } from '../format.js';
import { fmtMs, fmtPct, sig } from '../units.js';
import { NOT_RECORDED, type ReportContext } from './context.js';

/** Target busy share when sizing a role for growth: leaves room for bursts and faults. */
export const TARGET_UTILIZATION = 0.7;
/**
 * Busy share from which a role's queueing drives the tail: in an M/M/c queue
 * the waiting time grows as 1/(1 − ρ), tripling between 50% and 83%.
 */
export const CAPACITY_BOUND = 0.75;

function busiest(pt: ForecastPoint): [string, number] | null {
  return Object.entries(pt.utilization).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0] ?? null;
}

function breakText(pt: ForecastPoint, f: Forecast): string {
  const parts: string[] = [];
  if (pt.breaks.includes('p99') && f.slo.p99 !== null) parts.push(`p99 ${Number.isFinite(pt.p99) ? fmtMs(pt.p99) : '∞ (nothing delivered)'} > ${fmtMs(f.slo.p99)}`);
  if (pt.breaks.includes('deliveryRatio') && f.slo.deliveryRatio !== null) parts.push(`delivery ${fmtPct(pt.deliveryRatio)} < ${fmtPct(f.slo.deliveryRatio)}`);
  return parts.join(' and ');
}

/** The table of a plan's forecast: each load's pooled p99 with its decision interval, seeds and verdict. */
function planTable(f: Forecast): Block {
  const rows = f.points.map((pt) => {
    const b = busiest(pt);
    const ci = pt.p99Ci ? ` [${fmtMs(Math.max(0, pt.p99Ci[0]))}, ${fmtMs(pt.p99Ci[1])}]` : '';
    return [
      fmtFactor(pt.factor),
      pt.offeredPerSec !== null ? `${sig(pt.offeredPerSec)}/s` : '–',
      Number.isFinite(pt.p99) ? `${fmtMs(pt.p99)}${ci}` : 'nothing delivered',
      fmtPct(pt.deliveryRatio),
      b !== null ? `${b[0]} ${fmtShare(b[1])}` : '–',
      String(pt.seeds ?? ''),
      pt.verdict === 'breaks' ? `breaks: ${breakText(pt, f)}` : (pt.verdict ?? ''),
    ];
  });
  return table(['load', 'offered', 'p99, pooled [decision interval]', 'delivery', 'busiest role', 'seeds', 'verdict'], rows, ['r', 'r', 'r', 'r', 'l', 'r', 'l']);
}

/** The headline of a plan's forecast: the limit as an interval with its confidence. */
function limitHeadline(f: Forecast, lim: ForecastLimit, who: string): string {
  const [low, high] = lim.interval;
  const conf = `${sig(lim.confidence * 100)}% confidence`;
  if (lim.answer === null) return `**The ${who} is not shown to meet the SLOs at any load tried**, today's included: there is no headroom for growth.`;
  if (high === null) return `**No load up to ${fmtFactor(low ?? lim.answer)} is shown to break the SLOs**: the ${who} absorbs at least ${sig(((low ?? lim.answer) - 1) * 100)}% more load than today.`;
  const pt = f.points.find((x) => x.factor === high);
  const offered = pt?.offeredPerSec != null ? ` (${sig(pt.offeredPerSec)} messages/s offered)` : '';
  const where = `between ${low !== null ? `${fmtFactor(low)}, shown to meet,` : 'no load shown to meet'} and ${fmtFactor(high)}${offered}, shown to break${pt ? ` (${breakText(pt, f)})` : ''}; ${conf}`;
  if (lim.answer < 1) return `**The ${who} already misses the SLOs at today's load**: its limit is about ${fmtFactor(lim.answer)}, ${where}.`;
  return `**The ${who} meets the SLOs up to about ${fmtFactor(lim.answer)} today's load**${lim.answer > 1 ? ` (+${sig((lim.answer - 1) * 100)}%)` : ''}: ${where}.`;
}

function forecastTable(f: Forecast): Block {
  const rows = f.points.map((pt) => {
    if (pt.error !== null) return [fmtFactor(pt.factor), pt.offeredPerSec !== null ? `${sig(pt.offeredPerSec)}/s` : '–', 'failed', '', '', pt.error];
    const b = busiest(pt);
    const meets = f.slo.p99 === null && f.slo.deliveryRatio === null ? 'no SLO' : pt.breaks.length === 0 ? 'yes' : `no: ${breakText(pt, f)}`;
    return [
      fmtFactor(pt.factor),
      pt.offeredPerSec !== null ? `${sig(pt.offeredPerSec)}/s` : '–',
      Number.isFinite(pt.p99) ? fmtMs(pt.p99) : 'nothing delivered',
      fmtPct(pt.deliveryRatio),
      b !== null ? `${b[0]} ${fmtShare(b[1])}` : '–',
      meets,
    ];
  });
  return table(['load', 'offered', 'p99', 'delivery', 'busiest role', 'meets the SLOs'], rows, ['r', 'r', 'r', 'r', 'l', 'l']);
}

/** The headline: how far the load can grow. */
function headline(f: Forecast, who: string): string {
  const noSlo = f.slo.p99 === null && f.slo.deliveryRatio === null;
  const last = f.points[f.points.length - 1]?.factor ?? 1;
  if (noSlo) return `The scenario states no SLO, so nothing can break; the table shows how latency and delivery degrade with load.`;
  if (f.breaksAt === null) return `**No SLO breaks up to ${fmtFactor(last)}**: the ${who} absorbs at least ${sig((last - 1) * 100)}% more load than today.`;
  const pt = f.points.find((x) => x.factor === f.breaksAt)!;
  if (f.holdsUpTo === null) return `**The ${who} already misses the SLOs at today's load** on this seed (${breakText(pt, f)}): there is no headroom for growth.`;
  const growth = sig((f.holdsUpTo - 1) * 100);
  return (
    `**The ${who} absorbs load growth up to ${fmtFactor(f.holdsUpTo)}**${f.holdsUpTo > 1 ? ` (+${growth}%)` : ' (no growth)'}; ` +
    `the SLO breaks at ${fmtFactor(f.breaksAt)}${pt.offeredPerSec !== null ? ` (${sig(pt.offeredPerSec)} messages/s offered)` : ''}: ${breakText(pt, f)}.`
  );
}

function advice(ctx: ReportContext, f: Forecast): string[] {
  const out: string[] = [];
  const configArg = ctx.r.recommendation.action === 'adopt' ? ' --config best-config.json' : '';
  const culprit = f.culprit ?? null;
  if (culprit !== null) out.push(`What breaks it, at ${fmtFactor(culprit.x)}: ${culprit.text}`);
  if (culprit !== null && culprit.kind === 'replica') {
    // One replica (often one a fault hits) is the limit, not the role's capacity: adding replicas may not help.
    out.push(
      `The limit is one replica, not ${culprit.culprit.role}'s capacity: \`meshtune plan ${ctx.scenarioArg}${configArg}\` simulates the levers against it (more replicas, outlier ejection, a hedge, a load-aware balancer) and reports the p99 each gives.`,
    );
    out.push('Re-run this study when the load grows: the best configuration at a higher load may differ (a timeout tuned for today can shed or retry-storm tomorrow).');
    return out;
  }
  const b = f.bottleneck;
  const last = f.points[f.points.length - 1]?.factor ?? 1;
  // The culprit is judged in its own window: a role whose replicas are all busy
  // there is held by its capacity, whatever its mean over the run says.
  const busyInWindow = culprit !== null && culprit.kind === 'role' && b !== null && culprit.culprit.role === b.role && culprit.culprit.roleBusy[1] >= TARGET_UTILIZATION;
  if (b !== null) {
    const atOne = Number.isFinite(b.atOne) ? b.atOne : NaN;
    if (b.factor !== null) {
      // Busy share grows about linearly with load until the role saturates.
      const linear = atOne > 0 ? ` (linear in load, it reaches ${fmtShare(SATURATED)} near ${fmtFactor(SATURATED / atOne)})` : '';
      out.push(`**${b.role}** saturates first: ${fmtShare(atOne)} busy at ${fmtFactor(1)}, ${fmtShare(b.utilization)} at ${fmtFactor(b.factor)}${linear}.`);
    } else if (busyInWindow) {
      out.push(`Over the whole run no role saturates up to ${fmtFactor(last)} (the busiest, **${b.role}**, is ${fmtShare(b.utilization)} busy on average), but in the window above its replicas are: the load there is more than its mean.`);
    } else {
      out.push(`No role saturates up to ${fmtFactor(last)}; the busiest is **${b.role}** at ${fmtShare(b.utilization)}.`);
    }
    // Capacity-bound: a role saturates by the breaking load, or is busy enough there for its queue to drive the tail.
    const atBreak = f.points.find((x) => x.factor === f.breaksAt)?.utilization[b.role] ?? 0;
    const capacityBound = busyInWindow || (b.factor !== null && (f.breaksAt === null || b.factor <= f.breaksAt + 1e-9 || atBreak >= CAPACITY_BOUND));
    if (f.breaksAt !== null && capacityBound && atBreak > 0) out.push(`At ${fmtFactor(f.breaksAt)}, where the SLO breaks, ${b.role} is ${fmtShare(atBreak)} busy: the limit is its capacity.`);
    const declared = ctx.ev?.scenario.roles.find((r) => r.name === b.role);
    // The forecast configuration's own replicas and slots (config.resources), or its autoscaler.
    const forecastConfig = f.of === 'winner' && ctx.r.winner !== null ? ctx.r.winner.config : ctx.r.current.config;
    const auto = forecastConfig.autoscale?.[b.role];
    const role = declared === undefined ? undefined : { count: forecastConfig.resources?.[b.role]?.count ?? declared.count, workers: forecastConfig.resources?.[b.role]?.workers ?? declared.workers };
    if (capacityBound && role !== undefined && atOne > 0 && auto !== undefined) {
      const target = f.breaksAt ?? last;
      out.push(
        `**${b.role}** autoscales (up to ${auto.max} replicas): check that its max and target carry ${fmtFactor(target)} with \`meshtune plan ${ctx.scenarioArg} --role ${b.role} --load ${Number(target.toFixed(2))}${configArg}\`.`,
      );
    } else if (capacityBound && role !== undefined && atOne > 0) {
      const target = f.breaksAt ?? last;
      const need = Math.ceil((role.count * atOne * target) / TARGET_UTILIZATION);
      if (need > role.count) {
        out.push(
          `Add replicas of **${b.role}** before the load reaches ${fmtFactor(target)}: about ${need} (today ${role.count}, ${role.workers} slots each) keep it under ${fmtShare(TARGET_UTILIZATION)} busy there. ` +
            `Size it with \`meshtune plan ${ctx.scenarioArg} --role ${b.role} --load ${Number(target.toFixed(2))}${configArg}\`.`,
        );
      }
    } else if (f.breaksAt !== null && !capacityBound) {
      const faulty = (ctx.ev?.scenario.faults.length ?? 0) > 0;
      out.push(
        `The SLO breaks before any role saturates: the limit is the latency tail${faulty ? ' under the faults' : ''}, not capacity — revisit the timeout, retry and hedging settings (section 4) and re-run \`meshtune optimize\` at the higher load.`,
      );
    }
  }
  if (f.breaksAt !== null) {
    out.push(
      f.limit !== undefined
        ? `Narrow the limit and try the levers with \`meshtune plan ${ctx.scenarioArg}${configArg}\` (±5%, up to 16 seeds per load).`
        : `Find the exact load limit with \`meshtune plan ${ctx.scenarioArg}${configArg}\` (bisection, several seeds per point).`,
    );
  }
  out.push('Re-run this study when the load grows: the best configuration at a higher load may differ (a timeout tuned for today can shed or retry-storm tomorrow).');
  return out;
}

export function forecastSection(ctx: ReportContext): Section {
  const { ev } = ctx;
  const blocks: Block[] = [];
  const f = ev?.forecast ?? null;
  if (ev === null || f === null) {
    blocks.push(p(`Load forecast: ${NOT_RECORDED} Meanwhile, \`meshtune plan ${ctx.scenarioArg}\` finds the load limit.`));
    return { id: 'forecast', title: '5. Predictive recommendations', blocks };
  }
  const who = f.of === 'winner' ? 'winner' : 'current configuration';
  const offered = ev.scenario.offeredPerSec;
  const lim = f.limit;
  if (lim !== undefined) {
    const seeds = f.points.map((x) => x.seeds ?? 0);
    blocks.push(
      p(
        `Load forecast of the ${who}: a capacity plan (SPEC §10) over the scenario's workload scaled up and down${offered !== null ? ` (×1 = ${sig(offered)} messages/s offered)` : ''}, faults as in the scenario. ` +
          `Each load ran on ${Math.min(...seeds) === Math.max(...seeds) ? Math.max(...seeds) : `${Math.min(...seeds)} to ${Math.max(...seeds)}`} seeds from seed ${f.seed}, more while its interval straddled an SLO; ${lim.runs} runs in all. The SLO is judged on the pooled p99 (all seeds' messages together).`,
      ),
      p(limitHeadline(f, lim, who)),
      planTable(f),
      p('What to change:'),
      list(advice(ctx, f)),
    );
    for (const n of lim.notes) blocks.push(p(`Note: ${n}.`));
    const chart = forecastP99Chart(f);
    if (chart !== null) blocks.push(figure(`p99 latency of the ${who} against load, with the p99 SLO; squares are shown to break an SLO.`, chart));
    const del = forecastDeliveryChart(f);
    if (del !== null) blocks.push(figure(`Delivery ratio of the ${who} against load, with the delivery SLO.`, del));
    blocks.push(
      p(
        `A forecast at ±${sig(lim.precision * 100)}% beside the study, not a full plan: \`meshtune plan\` aims at ±5% and simulates the levers. The interval carries ${sig(lim.confidence * 100)}% confidence for loads fixed in advance; its coverage against queueing theory is measured in results/plan/coverage.md.`,
      ),
    );
    return { id: 'forecast', title: '5. Predictive recommendations', blocks };
  }
  blocks.push(
    p(
      `Load forecast of the ${who}: the scenario's workload scaled by ${f.points.map((x) => fmtFactor(x.factor)).join(', ')}${offered !== null ? ` (×1 = ${sig(offered)} messages/s offered)` : ''}, one run each on seed ${f.seed}, faults as in the scenario.`,
    ),
    p(headline(f, who)),
    forecastTable(f),
    p('What to change:'),
    list(advice(ctx, f)),
  );
  const p99 = forecastP99Chart(f);
  if (p99 !== null) blocks.push(figure(`p99 latency of the ${who} against load, with the p99 SLO; squares break an SLO.`, p99));
  const del = forecastDeliveryChart(f);
  if (del !== null) blocks.push(figure(`Delivery ratio of the ${who} against load, with the delivery SLO.`, del));
  blocks.push(p('One seed per load: a forecast, not a confirmed claim; the breaking point can move by one step between seeds.'));
  return { id: 'forecast', title: '5. Predictive recommendations', blocks };
}
