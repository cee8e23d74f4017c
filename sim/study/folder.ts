/**
 * Reading a finished study folder back (`meshtune report`, and `optimize`
 * itself, so that a report rendered at the end of a study and one rendered
 * later from its folder are the same bytes): study.json and
 * evaluations.jsonl. Folders written before a field existed still read: the
 * renderer says "not recorded" for what is missing.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Evidence } from './evidence.js';
import { FILES, parseEvaluations, readStudyJson, StudyFolderError, type RunInfo, type StudyHeader } from './persist.js';
import type { PhaseSpend, Shortfall, StudyResult, Winner } from './study.js';
import type { EvaluationRecord } from './types.js';

/**
 * A study result as a study.json of any age holds it: `evidence`, `phases`,
 * the recommendation's `shortfall` and the winner's `untested` changes and
 * `rank` are absent from studies written before they were recorded.
 */
export type StoredResult = Omit<StudyResult, 'evidence' | 'phases' | 'recommendation' | 'winner'> & {
  evidence?: Evidence | null;
  phases?: PhaseSpend;
  recommendation: Omit<StudyResult['recommendation'], 'shortfall'> & { shortfall?: Shortfall | null };
  winner: (Omit<Winner, 'untested' | 'rank'> & Partial<Pick<Winner, 'untested' | 'rank'>>) | null;
};

/** study.json of a finished study; `run` is absent from older folders. */
export type StoredStudy = StudyHeader & { run?: RunInfo } & StoredResult;

export interface StudyFolder {
  dir: string;
  study: StoredStudy;
  /** evaluations.jsonl in file order; null when the folder has none. */
  evaluations: EvaluationRecord[] | null;
}

/** Fields every finished study.json has had since studies were written. */
const REQUIRED = ['id', 'scenario', 'mode', 'objective', 'slo', 'seeds', 'evaluations', 'current', 'recommendation', 'pareto', 'space'] as const;

export function readStudyFolder(dir: string): StudyFolder {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new StudyFolderError(`${dir}: no such folder; expected a study folder (results/<study-id>/)`);
  }
  if (!isDir) throw new StudyFolderError(`${dir}: not a folder; expected a study folder (results/<study-id>/) holding ${FILES.study}`);
  const { file, doc } = readStudyJson(dir);
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new StudyFolderError(`${file}: expected a JSON object (a study)`);
  const rec = doc as Record<string, unknown>;
  if (rec.settings !== undefined && rec.recommendation === undefined) {
    throw new StudyFolderError(`${file}: the study has not finished (no result yet); continue it with 'meshtune optimize --resume ${dir}'`);
  }
  const missing = REQUIRED.filter((k) => rec[k] === undefined);
  if (missing.length > 0) throw new StudyFolderError(`${file}: not a study result; missing ${missing.join(', ')}`);
  let evaluations: EvaluationRecord[] | null = null;
  try {
    evaluations = parseEvaluations(readFileSync(path.join(dir, FILES.jsonl), 'utf8'), path.join(dir, FILES.jsonl));
  } catch (err) {
    // A log that is missing leaves the report without its search; one of the wrong shape is reported.
    if (err instanceof StudyFolderError) throw err;
    evaluations = null;
  }
  return { dir, study: doc as StoredStudy, evaluations };
}
