/** Section 4: deliveries, losses by cause and the resilience mechanisms at work, under the scenario's faults. */
import type { LostCounts } from '../../metrics/types.js';
import type { StoredMetrics } from '../../study/types.js';
import { lossChart } from '../charts/timeline.js';
import { figure, list, p, table, type Block, type Section } from '../doc.js';
import { faultText, sloStatus } from '../format.js';
import { fmtPct, sig } from '../units.js';
import { NOT_RECORDED, type ReportContext } from './context.js';
import { mechanisms } from './mechanisms.js';

const LOSS_CAUSE: Record<keyof LostCounts, string> = {
  overflow: 'buffer overflow',
  link: 'link loss',
  crash: 'crashed agent',
  timeout: 'timeout (gave up)',
  shed: 'load shedding',
  breaker: 'refused by an open breaker',
  unfinished: 'still in flight at the end',
  error: 'error at a role',
};

function faultBlocks(ctx: ReportContext): Block[] {
  const { ev, r } = ctx;
  if (ev !== null) {
    if (ev.scenario.faults.length === 0) return [p('The scenario injects no faults: this is the mesh in steady state.')];
    return [p('The scenario injects:'), list(ev.scenario.faults.map(faultText))];
  }
  const kinds = r.auto?.profile.faults ?? null;
  if (kinds !== null) return [p(kinds.length > 0 ? `The scenario injects faults of kind: ${kinds.join(', ')} (details not recorded in this study).` : 'The scenario injects no faults.')];
  return [p(`Faults injected: ${NOT_RECORDED}`)];
}

function countsTable(cur: StoredMetrics, win: StoredMetrics | null): Block {
  const cols = (f: (m: StoredMetrics) => string): string[] => [f(cur), ...(win !== null ? [f(win)] : [])];
  const rows: string[][] = [
    ['messages generated', ...cols((m) => sig(m.messages.generated))],
    ['delivered', ...cols((m) => sig(m.messages.delivered))],
    ['delivery ratio', ...cols((m) => fmtPct(m.deliveryRatio))],
  ];
  for (const k of Object.keys(LOSS_CAUSE) as Array<keyof LostCounts>) {
    if (cur.messages.lost[k] > 0 || (win !== null && win.messages.lost[k] > 0)) rows.push([`lost: ${LOSS_CAUSE[k]}`, ...cols((m) => sig(m.messages.lost[k]))]);
  }
  const lostTotal = (m: StoredMetrics): number => Object.values(m.messages.lost).reduce((s, v) => s + v, 0);
  rows.push(
    ['lost, all causes', ...cols((m) => sig(lostTotal(m)))],
    ['duplicates', ...cols((m) => sig(m.messages.duplicates))],
    ['retries', ...cols((m) => sig(m.retries))],
    ['hedges', ...cols((m) => sig(m.hedges))],
    ['breaker opens', ...cols((m) => sig(m.breakerOpens))],
  );
  return table(['per run (mean over fresh seeds)', 'current', ...(win !== null ? ['winner'] : [])], rows, ['l', 'r', 'r']);
}

export function reliabilitySection(ctx: ReportContext): Section {
  const { r, c, ev, distinct } = ctx;
  const blocks: Block[] = [...faultBlocks(ctx)];
  const cur = r.current.metrics;
  const win = distinct ? r.winnerMetrics : null;
  if (cur !== null) blocks.push(countsTable(cur, win));
  else blocks.push(p('No confirmation metrics: the confirmation runs did not complete.'));
  const mech = (name: string, config: typeof r.current.config): string => {
    const m = mechanisms(config);
    return `${name}: ${m.length > 0 ? m.join('; ') : 'none (no timeout, retry, hedge, breaker or ejection)'}`;
  };
  const mechs = [mech('current', r.current.config)];
  if (distinct && r.winner !== null) mechs.push(mech('winner', r.winner.config));
  blocks.push(p('Fault-tolerance mechanisms in force:'), list(mechs));
  if (c !== null) {
    const status = [`current configuration: ${sloStatus(c.current, r.slo, c.currentShown)}`];
    if (!c.sameConfig) status.push(`winner: ${sloStatus(c.winner, r.slo, c.winnerShown)}`);
    blocks.push(p('On the fresh seeds:'), list(status));
  }
  if (ev === null) blocks.push(p(`Losses and retries over time: ${NOT_RECORDED}`));
  else {
    const svg = lossChart(ev);
    if (svg !== null) blocks.push(figure(`Losses (solid) and retries (dashed) per second over simulated time, seed ${ev.seed}; shaded: the scenario's fault windows.`, svg));
    if (ev.failures.length > 0) blocks.push(p(`Evidence runs that failed: ${ev.failures.join('; ')}.`));
  }
  return { id: 'reliability', title: '4. Reliability and fault-tolerance status', blocks };
}
