/**
 * What a study report is rendered from: the study's result as study.json
 * holds it, and its evaluations (evaluations.jsonl). Plain data; the
 * command reads the folder, this room never does I/O.
 */
import type { StoredResult, StoredStudy } from '../study/folder.js';
import type { PhaseWall } from '../study/persist.js';
import type { EvaluationRecord } from '../study/types.js';

/** A study result as study.json holds it (older folders lack some fields). */
export type ReportResult = StoredResult;

export interface StudyReportData {
  id: string;
  result: ReportResult;
  versions: { node: string; meshtune: string };
  run?: { workers: number; queue?: string; wallMs: number; replayed: number; phasesWallMs?: PhaseWall };
  /** The study's evaluations, any order (the convergence chart); absent or null when not available. */
  evaluations?: readonly EvaluationRecord[] | null;
}

/** The report data of a study folder as read back from disk. */
export function reportDataOf(study: StoredStudy, evaluations: readonly EvaluationRecord[] | null): StudyReportData {
  const versions = study.versions ?? { node: 'unknown', meshtune: 'unknown' };
  return {
    id: study.id,
    result: study,
    versions,
    ...(study.run !== undefined
      ? {
          run: {
            workers: study.run.workers,
            ...(typeof study.run.queue === 'string' ? { queue: study.run.queue } : {}),
            wallMs: study.run.wallMs,
            replayed: study.run.replayed,
            ...(study.run.phasesWallMs !== undefined ? { phasesWallMs: study.run.phasesWallMs } : {}),
          },
        }
      : {}),
    evaluations,
  };
}
