/** Section 6: health of the mesh — per-role utilisation and saturation, errors, and circuit-breaker activity. */
import type { Evidence, RunEvidence } from '../../study/evidence.js';
import type { StoredMetrics } from '../../study/types.js';
import type { MeshConfig } from '../../scenario/types.js';
import { scalingCharts } from '../charts/scaling.js';
import { breakerChart, utilizationChart } from '../charts/timeline.js';
import { figure, list, p, table, type Block, type Section } from '../doc.js';
import { fmtSec, fmtShare, lostText } from '../format.js';
import { movingAverage, smoothingWindow } from '../smooth.js';
import { sig } from '../units.js';
import { NOT_RECORDED, type ReportContext } from './context.js';

/** A role is saturated from this mean busy share (queues grow fast past it), or when an interval peaks near full. */
export const SATURATED_MEAN = 0.85;
export const SATURATED_PEAK = 0.98;
/** A role runs hot from this mean busy share, or when an interval peaks past 90%. */
export const HOT_MEAN = 0.7;
export const HOT_PEAK = 0.9;

export function stateOf(mean: number, peak: number): 'saturated' | 'hot' | 'ok' {
  if (mean >= SATURATED_MEAN || peak >= SATURATED_PEAK) return 'saturated';
  if (mean >= HOT_MEAN || peak >= HOT_PEAK) return 'hot';
  return 'ok';
}

/** Highest busy share of a role (moving average, sim/report/smooth.ts) within the measured window [warm-up, duration). */
export function peakUtilization(run: RunEvidence, role: string, ev: Evidence): number {
  const u = run.timeline.utilization[role];
  if (u === undefined) return NaN;
  const b = run.timeline.bucketMs;
  const smooth = movingAverage(u, smoothingWindow(b, ev.scenario.durationMs));
  let peak = 0;
  smooth.forEach((x, i) => {
    if (i * b >= ev.scenario.warmupMs && (i + 1) * b <= ev.scenario.durationMs && x > peak) peak = x;
  });
  return peak;
}

function roleTable(ctx: ReportContext): Block[] {
  const { r, ev, distinct } = ctx;
  const cur = r.current.metrics;
  const win: StoredMetrics | null = distinct ? r.winnerMetrics : null;
  const roles = ev?.scenario.roles.map((x) => x.name) ?? Object.keys(cur?.utilization ?? r.current.outcome?.utilization ?? {});
  if (roles.length === 0) return [p('No utilisation was measured.')];
  const declared = new Map(ev?.scenario.roles.map((x) => [x.name, x]) ?? []);
  const shapeIn = (config: MeshConfig, role: string): string => {
    const d = declared.get(role);
    if (d === undefined) return '–';
    const res = config.resources?.[role];
    const auto = config.autoscale?.[role];
    const workers = res?.workers ?? d.workers;
    return auto !== undefined ? `${auto.min ?? 1}..${auto.max} (autoscaled) × ${workers}` : `${res?.count ?? d.count} × ${workers}`;
  };
  const shapeOf = (role: string): string => {
    const cur = shapeIn(r.current.config, role);
    const next = win !== null && r.winner !== null ? shapeIn(r.winner.config, role) : cur;
    return next === cur ? cur : `${cur} → ${next}`;
  };
  const meanOf = (m: StoredMetrics | null, role: string): number => m?.utilization[role] ?? NaN;
  const peakOf = (run: RunEvidence | null, role: string): number => (run !== null && ev !== null ? peakUtilization(run, role, ev) : NaN);
  const winRun = ev === null ? null : ev.sameConfig ? ev.current : ev.winner;
  const head = ['role', 'replicas × slots', 'busy, current', ...(win !== null ? ['busy, winner'] : []), 'peak, current', ...(win !== null ? ['peak, winner'] : []), 'state'];
  const pct = (x: number): string => (Number.isFinite(x) ? fmtShare(x) : '–');
  const rows = roles.map((role) => {
    const mean = win !== null ? meanOf(win, role) : meanOf(cur, role);
    const peak = peakOf(winRun, role);
    const state = Number.isFinite(mean) ? stateOf(mean, Number.isFinite(peak) ? peak : 0) : '–';
    return [
      role,
      shapeOf(role),
      pct(meanOf(cur, role)),
      ...(win !== null ? [pct(meanOf(win, role))] : []),
      pct(peakOf(ev?.current ?? null, role)),
      ...(win !== null ? [pct(peakOf(ev?.winner ?? null, role))] : []),
      state,
    ];
  });
  const align = head.map((_, i) => (i === 0 || i === head.length - 1 ? 'l' : 'r') as 'l' | 'r');
  const window = ev !== null && ev.current !== null ? `${fmtSec(smoothingWindow(ev.current.timeline.bucketMs, ev.scenario.durationMs) * ev.current.timeline.bucketMs)} ` : '';
  const peakText = ev !== null ? `Peak: the busiest ${window}stretch (moving average) on seed ${ev.seed}, the evidence run.` : 'Peak: not recorded in this study.';
  return [
    table(head, rows, align),
    p(
      `Busy: mean share of the role's worker slots over the fresh seeds. ${peakText} ` +
        `State (of the ${win !== null ? 'winner' : 'current configuration'}): saturated from ${fmtShare(SATURATED_MEAN)} mean or a ${fmtShare(SATURATED_PEAK)} peak, hot from ${fmtShare(HOT_MEAN)} mean or a ${fmtShare(HOT_PEAK)} peak.`,
    ),
  ];
}

/** When the breakers of one run opened, in words. */
function breakerStory(name: string, run: RunEvidence | null, hasBreaker: boolean, ev: Evidence): string {
  if (!hasBreaker) return `${name}: no circuit breaker configured`;
  if (run === null) return `${name}: not recorded`;
  const t = run.timeline;
  const opened = t.breakerOpens.flatMap((n, i) => (n > 0 ? [i] : []));
  if (opened.length === 0) return `${name}: breakers configured, none opened on seed ${ev.seed}`;
  const first = opened[0]! * t.bucketMs;
  const lastEnd = (opened[opened.length - 1]! + 1) * t.bucketMs;
  const total = t.breakerOpens.reduce((s, n) => s + n, 0);
  const runEnd = t.breakerOpens.length * t.bucketMs;
  const faultsEnd = Math.max(0, ...ev.scenario.faults.filter((f) => f.mtbfMs === null).map((f) => f.atMs + f.forMs));
  const quiet = runEnd - lastEnd;
  const state =
    quiet >= 0.1 * runEnd
      ? `none in the last ${fmtSec(quiet)} of the run: the breakers had closed again`
      : `still opening when the run ended${faultsEnd > 0 && lastEnd > faultsEnd ? `, ${fmtSec(lastEnd - faultsEnd)} after the last fault window` : ''}: some destination stayed unhealthy`;
  return `${name}: ${sig(total)} opens on seed ${ev.seed}, from ${fmtSec(first)} to ${fmtSec(lastEnd)}; ${state}`;
}

export function healthSection(ctx: ReportContext): Section {
  const { r, ev, distinct } = ctx;
  const blocks: Block[] = [...roleTable(ctx)];
  const errors: string[] = [];
  if (r.current.metrics !== null) errors.push(`current: lost per run ${lostText(r.current.metrics.messages.lost)}; ${sig(r.current.metrics.breakerOpens)} breaker opens per run`);
  if (distinct && r.winnerMetrics !== null) errors.push(`winner: lost per run ${lostText(r.winnerMetrics.messages.lost)}; ${sig(r.winnerMetrics.breakerOpens)} breaker opens per run`);
  if (errors.length > 0) blocks.push(p('Errors (means over the fresh seeds):'), list(errors));
  if (ev === null) {
    blocks.push(p(`Utilisation and breakers over time: ${NOT_RECORDED}`));
    return { id: 'health', title: '6. Health of the mesh', blocks };
  }
  const stories = [breakerStory(ev.sameConfig ? 'current (= winner)' : 'current', ev.current, r.current.config.breaker !== undefined, ev)];
  if (!ev.sameConfig && r.winner !== null) stories.push(breakerStory('winner', ev.winner, r.winner.config.breaker !== undefined, ev));
  blocks.push(p('Circuit-breaker state:'), list(stories));
  const uc = utilizationChart(ev, 'current');
  if (uc !== null) blocks.push(figure(`Utilisation per role over time, ${ev.sameConfig ? 'current configuration (= winner)' : 'current configuration'}; shaded: fault windows.`, uc));
  const uw = ev.sameConfig ? null : utilizationChart(ev, 'winner');
  if (uw !== null) blocks.push(figure('Utilisation per role over time, winner; shaded: fault windows.', uw));
  const scaling = scalingCharts(ev);
  if (scaling !== null) {
    blocks.push(
      figure(
        'Replicas serving per autoscaled role over time (solid: current configuration, dashed: winner), above the offered load on the same time axis.',
        scaling.join('\n'),
      ),
    );
  }
  const anyBreaker = r.current.config.breaker !== undefined || (r.winner !== null && r.winner.config.breaker !== undefined);
  const bc = anyBreaker ? breakerChart(ev) : null;
  if (bc !== null) blocks.push(figure('Circuit-breaker opens per interval over time, current vs winner; shaded: fault windows.', bc));
  else if (!anyBreaker) blocks.push(p('No breaker timeline: neither configuration has a circuit breaker.'));
  return { id: 'health', title: '6. Health of the mesh', blocks };
}
