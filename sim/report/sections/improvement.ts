/** Section 3: the claims, measured on fresh seeds with 95% CIs, and what they save. */
import type { Improvement } from '../../study/confirm.js';
import { cdfChart } from '../charts/cdf.js';
import { figure, list, p, type Block, type Section } from '../doc.js';
import { capitalise, claimSentence } from '../format.js';
import { fmtMoney, fmtMs, sig } from '../units.js';
import { NOT_RECORDED, type ReportContext } from './context.js';

const SECONDS_PER_DAY = 86_400;

/** The cost claim restated as money saved: per million delivered messages, and per day at the winner's throughput. */
function savingLines(i: Improvement, throughputPerSec: number, adopted: boolean): string[] {
  if (i.verdict === 'unmeasurable' || !Number.isFinite(i.diff)) return ['Cost saving: not measurable.'];
  if (i.current === 0 && i.winner === 0) return ['Cost saving: none to state — the scenario prices nothing (its `cost` block is empty).'];
  // Saving = current − winner = −diff; its interval flips with the sign.
  const perM = (x: number): number => -x * 1e6;
  const lo = perM(i.ci95[1]);
  const hi = perM(i.ci95[0]);
  const save = perM(i.diff);
  const fmtSigned = (x: number): string => (x < 0 ? `−${fmtMoney(-x)}` : fmtMoney(x));
  // State it as a saving, or as an extra cost when the winner costs more; the interval in the same frame.
  const saving = save >= 0;
  const frame = (x: number): number => (saving ? x : -x);
  const [a, b] = saving ? [lo, hi] : [-hi, -lo];
  // A winner not adopted saves nothing: what it would have changed is said as such.
  const head = `${saving ? 'Cost saving' : 'Extra cost'}${adopted ? '' : ' the winner would bring (it is not adopted)'}`;
  const out = [
    `${head}: ${fmtMoney(frame(save))} per million delivered messages (95% CI [${fmtSigned(a)}, ${fmtSigned(b)}])${i.significant ? '' : ' — not significant'}.`,
  ];
  if (throughputPerSec > 0) {
    const k = (throughputPerSec * SECONDS_PER_DAY) / 1e6;
    const perDay = saving ? (adopted ? 'saved' : 'it would save') : adopted ? 'more' : 'more it would cost';
    out.push(
      `At the winner's throughput (${sig(throughputPerSec)}/s, ${sig(throughputPerSec * SECONDS_PER_DAY)} messages a day) that is ${fmtMoney(frame(save) * k)} a day ${perDay} (95% CI [${fmtSigned(a * k)}, ${fmtSigned(b * k)}]).`,
    );
  }
  return out;
}

export function improvementSection(ctx: ReportContext): Section {
  const { r, c, ev } = ctx;
  const blocks: Block[] = [];
  if (c === null) blocks.push(p('Not measured (no winner, or its confirmation runs failed).'));
  else if (c.sameConfig) blocks.push(p('Nothing to compare: the winner is the current configuration.'));
  else {
    blocks.push(p(`Winner − current, paired by seed over ${c.seeds.length} fresh seeds (95% Student-t intervals):`), list(c.improvements.map(claimSentence)));
    const cost = c.improvements.find((i) => i.metric === 'costPerDelivered');
    if (cost !== undefined) blocks.push(p(savingLines(cost, c.winner.throughput, r.recommendation.action === 'adopt').join(' ')));
  }
  const action = r.recommendation.action === 'adopt' ? '**Adopt the change** (best-config.json).' : '**Keep the current configuration**.';
  blocks.push(p(`Recommendation: ${action} ${capitalise(r.recommendation.reasons.join('; '))}.`));
  if (ev === null) blocks.push(p(`Latency distribution: ${NOT_RECORDED}`));
  else {
    const svg = cdfChart(ev, r.slo);
    if (svg !== null) {
      blocks.push(figure(`Latency CDF of the current configuration and the winner on seed ${ev.seed} (the first confirmation seed); log latency axis.`, svg));
    }
    const tails = [ev.current, ev.winner].filter((x) => x !== null);
    if (tails.length > 0) {
      const fmt = (name: string, x: NonNullable<typeof ev.current>): string => `${name} p50 ${fmtMs(x.p50)}, p99 ${fmtMs(x.p99)}, p99.9 ${fmtMs(x.p999)}`;
      const parts = [ev.current !== null ? fmt(ev.sameConfig ? 'current (= winner)' : 'current', ev.current) : null, ev.winner !== null ? fmt('winner', ev.winner) : null].filter(
        (x): x is string => x !== null,
      );
      blocks.push(p(`On that seed: ${parts.join('; ')}.`));
    }
  }
  return { id: 'improvement', title: '3. Improvement and cost saving (fresh seeds, 95% CI)', blocks };
}
