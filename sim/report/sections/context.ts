/** What every section of a study report reads, worked out once. */
import type { Confirmation } from '../../study/confirm.js';
import type { Evidence } from '../../study/evidence.js';
import type { EvaluationRecord } from '../../study/types.js';
import type { ReportResult, StudyReportData } from '../report-data.js';

export interface ReportContext {
  data: StudyReportData;
  r: ReportResult;
  c: Confirmation | null;
  /** The winner differs from the current configuration and was confirmed. */
  distinct: boolean;
  /** The study's evidence; null in studies written before it was recorded. */
  ev: Evidence | null;
  /** The study's evaluations; null when evaluations.jsonl was not available. */
  evals: readonly EvaluationRecord[] | null;
  /** How to refer to the scenario in suggested commands. */
  scenarioArg: string;
}

/** Said wherever a study folder predates a part of the report. */
export const NOT_RECORDED = 'Not recorded: this study was written before meshtune stored this evidence in study.json; run the study again to see it.';

export function contextOf(data: StudyReportData): ReportContext {
  const r = data.result;
  const c = r.confirmation ?? null;
  return {
    data,
    r,
    c,
    distinct: c !== null && !c.sameConfig,
    ev: r.evidence ?? null,
    evals: data.evaluations ?? null,
    scenarioArg: r.scenario.file !== '' ? r.scenario.file : r.scenario.name,
  };
}
