/**
 * The Pareto front of the search over (p99, loss, cost per delivered): every
 * candidate at its highest rung in grey, the front coloured by cost, the
 * winner and the current configuration marked. Loss is on a log axis; a
 * candidate that lost nothing sits on the bottom edge.
 */
import type { ParetoPoint } from '../../study/pareto.js';
import type { EvaluationRecord, Outcome } from '../../study/types.js';
import type { ReportResult } from '../report-data.js';
import { colorPosition, CURRENT, MUTED, REFERENCE, scatterChart, sequential, WINNER, type Mark, type RefLine } from '../svg/index.js';
import { fmtMoney, fmtMs, fmtPct } from '../units.js';

interface Pt {
  candidate: number;
  p99: number;
  loss: number;
  cost: number;
}

const ptOf = (candidate: number, o: Outcome): Pt => ({ candidate, p99: o.p99, loss: 1 - o.deliveryRatio, cost: o.costPerDelivered });

/** Each candidate at its highest rung (as the study's Pareto front takes it). */
function latestOutcomes(evals: readonly EvaluationRecord[]): Pt[] {
  const latest = new Map<number, EvaluationRecord>();
  for (const r of evals) {
    if (r.status !== 'ok' || r.outcome === null || (r.phase !== 'search' && r.phase !== 'auto')) continue;
    const prev = latest.get(r.candidate);
    if (prev === undefined || r.level >= prev.level) latest.set(r.candidate, r);
  }
  return [...latest.values()].sort((a, b) => a.candidate - b.candidate).map((r) => ptOf(r.candidate, r.outcome!));
}

export function paretoChart(r: ReportResult, evals: readonly EvaluationRecord[] | null): string | null {
  const front: readonly ParetoPoint[] = r.pareto;
  if (front.length === 0) return null;
  const all = evals !== null ? latestOutcomes(evals) : [];
  const finite = (p: Pt): boolean => Number.isFinite(p.p99) && p.p99 > 0 && Number.isFinite(p.loss);
  const frontPts = front.map((p) => ({ candidate: p.candidate, p99: p.p99, loss: p.loss, cost: p.costPerDelivered })).filter(finite);
  const cur = all.find((p) => p.candidate === 0) ?? (r.current.outcome !== null ? ptOf(0, r.current.outcome) : null);
  const win = r.winner !== null ? ptOf(r.winner.candidate, r.winner.outcome) : null;
  const everyPt = [...all, ...frontPts, ...(cur ? [cur] : []), ...(win ? [win] : [])].filter(finite);
  if (everyPt.length === 0) return null;
  const positiveLoss = everyPt.map((p) => p.loss).filter((l) => l > 0);
  const floor = positiveLoss.length > 0 ? Math.min(...positiveLoss) / 3 : 1e-4;
  const lossY = (l: number): number => Math.max(l, floor);
  const costs = frontPts.map((p) => p.cost).filter((c) => Number.isFinite(c) && c > 0);
  const cMin = costs.length > 0 ? Math.min(...costs) : 0;
  const cMax = costs.length > 0 ? Math.max(...costs) : 1;
  const logCost = cMin > 0 && cMax / cMin > 10;
  const marks: Mark[] = [];
  const frontSet = new Set(frontPts.map((p) => p.candidate));
  for (const p of all) {
    if (!finite(p) || frontSet.has(p.candidate)) continue;
    marks.push({ x: p.p99, y: lossY(p.loss), color: MUTED, r: 2.4, title: `#${p.candidate}: p99 ${fmtMs(p.p99)}, loss ${fmtPct(p.loss)}, ${fmtMoney(p.cost)}/msg` });
  }
  for (const p of frontPts) {
    marks.push({
      x: p.p99,
      y: lossY(p.loss),
      color: sequential(colorPosition(p.cost, cMin, cMax, logCost)),
      r: 4.5,
      title: `#${p.candidate} (Pareto front): p99 ${fmtMs(p.p99)}, loss ${fmtPct(p.loss)}, ${fmtMoney(p.cost)}/msg`,
    });
  }
  if (cur !== null && finite(cur)) marks.push({ x: cur.p99, y: lossY(cur.loss), color: CURRENT, r: 5, shape: 'diamond', label: 'current', title: `current configuration (search seeds): p99 ${fmtMs(cur.p99)}, loss ${fmtPct(cur.loss)}` });
  if (win !== null && finite(win)) marks.push({ x: win.p99, y: lossY(win.loss), color: WINNER, r: 7, hollow: true, label: `winner #${win.candidate}`, title: `winner #${win.candidate} (search seeds): p99 ${fmtMs(win.p99)}, loss ${fmtPct(win.loss)}` });
  const refs: RefLine[] = [];
  if (r.slo.p99 !== null) refs.push({ axis: 'x', value: r.slo.p99, label: `SLO p99 ${fmtMs(r.slo.p99)}`, color: REFERENCE });
  if (r.slo.deliveryRatio !== null && 1 - r.slo.deliveryRatio > 0) refs.push({ axis: 'y', value: Math.max(floor, 1 - r.slo.deliveryRatio), label: `SLO loss ${fmtPct(1 - r.slo.deliveryRatio)}`, color: REFERENCE });
  return scatterChart({
    title: 'Pareto front: p99 latency vs loss, coloured by cost per delivered message',
    x: { label: 'p99 latency (log scale)', log: true, format: fmtMs },
    y: { label: 'loss = 1 − delivery ratio (log; 0 on the bottom edge)', log: true, min: floor, format: fmtPct },
    marks,
    refs,
    legend: [
      { name: 'other candidates', color: MUTED, kind: 'mark' },
      { name: 'Pareto front', color: sequential(0.5), kind: 'mark' },
      { name: 'current', color: CURRENT, kind: 'mark', shape: 'diamond' },
      { name: 'winner', color: WINNER, kind: 'mark', hollow: true },
    ],
    colorBar: { label: 'cost / msg', min: cMin, max: cMax, log: logCost, color: sequential, format: fmtMoney },
    height: 340,
  });
}
