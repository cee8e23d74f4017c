/**
 * Convergence of the search: each evaluation's objective (dots, by fidelity
 * rung; hollow when it missed the constraints) and the best value so far
 * among those meeting them, per rung, against the evaluations in proposal order.
 */
import { feasible, type Objective } from '../../study/objective.js';
import type { EvaluationRecord, Outcome } from '../../study/types.js';
import { categorical, REFERENCE, scatterChart, type LineSeries, type Mark, type Point } from '../svg/index.js';
import { objectiveFormat, objectiveLabel, objectiveValue, wantsLog } from './objective-axis.js';

const RUNG_NAMES = ['rung 0 (⅓ duration, 1 seed)', 'rung 1 (full, 1 seed)', 'rung 2 (full, 3 seeds)'];
const rungName = (level: number): string => RUNG_NAMES[level] ?? `rung ${level}`;
const rungColor = (level: number): string => [categorical(4), categorical(0), '#08306b'][level] ?? categorical(level + 1);

export function convergenceChart(evals: readonly EvaluationRecord[], obj: Objective, current: Outcome | null): string | null {
  const search = evals.filter((e) => e.phase === 'search').sort((a, b) => a.seq - b.seq);
  if (search.length === 0) return null;
  const metric = obj.primary;
  const levels = [...new Set(search.map((e) => e.level))].sort((a, b) => a - b);
  const best = new Map<number, number>();
  const lines = new Map<number, Point[]>();
  const marks: Mark[] = [];
  const values: number[] = [];
  search.forEach((e, i) => {
    if (e.status !== 'ok' || e.outcome === null) return;
    const v = objectiveValue(metric, e.outcome);
    if (!Number.isFinite(v)) return;
    values.push(v);
    const ok = feasible(obj, e.outcome);
    marks.push({ x: i + 1, y: v, color: rungColor(e.level), r: 2.3, hollow: !ok, title: `#${e.candidate}, ${rungName(e.level)}: ${objectiveFormat(metric)(v)}${ok ? '' : ' (misses the constraints)'}` });
    if (!ok) return;
    const prev = best.get(e.level);
    if (prev === undefined || v < prev) best.set(e.level, v);
    const pts = lines.get(e.level) ?? [];
    pts.push([i + 1, best.get(e.level)!]);
    lines.set(e.level, pts);
  });
  const series: LineSeries[] = levels
    .filter((l) => (lines.get(l)?.length ?? 0) > 0)
    .map((l) => {
      const pts = lines.get(l)!;
      return { name: `best so far, ${rungName(l)}`, points: [...pts, [search.length, pts[pts.length - 1]![1]] as Point], color: rungColor(l), step: true, width: 2 };
    });
  const cur = current !== null ? objectiveValue(metric, current) : NaN;
  const all = [...values, ...(Number.isFinite(cur) ? [cur] : [])];
  const log = wantsLog(all);
  // On a log axis a value of 0 (nothing lost) sits on the bottom edge, below the smallest positive value.
  const positive = all.filter((v) => v > 0);
  const zeros = log && all.some((v) => v === 0);
  const floor = zeros ? Math.min(...positive) / 3 : undefined;
  const fmt = objectiveFormat(metric);
  return scatterChart({
    title: `Convergence: ${objectiveLabel(metric)} of each evaluation and the best so far, by fidelity rung`,
    x: { label: 'evaluation (proposal order)', min: 0, max: search.length + 1, format: (x) => String(Math.round(x)) },
    y: { label: `${objectiveLabel(metric)}${log ? (zeros ? ' (log; 0 on the bottom edge)' : ' (log)') : ''}`, ...(log ? { log: true } : {}), ...(floor !== undefined ? { min: floor } : {}), format: fmt },
    series,
    marks,
    refs: Number.isFinite(cur) ? [{ axis: 'y', value: cur, label: `current configuration: ${fmt(cur)}`, color: REFERENCE }] : [],
    legend: [
      ...series.map((s) => ({ name: s.name, color: s.color })),
      { name: 'missed the constraints', color: '#666', kind: 'mark' as const, hollow: true },
    ],
  });
}
