/**
 * A study's folder (SPEC §7): `study.json`, `evaluations.jsonl` and
 * `evaluations.csv` (one row per evaluation, appended and synced to disk as
 * it finishes, so a study killed at any moment loses no finished
 * evaluation), `best-config.json`, `pareto.csv`, `report.md` and `report.html`.
 *
 * Resuming reads the log back: a last line cut short by the kill is dropped,
 * and both logs are rewritten from the rows that survive.
 */
import { recordProblem } from './record-shape.js';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'csv-stringify/sync';
import type { MeshConfig, Scenario } from '../scenario/types.js';
import { configChanges } from './config-paths.js';
import type { StudyResult, StudySettings } from './study.js';
import type { EvaluationRecord } from './types.js';

export const FILES = {
  study: 'study.json',
  jsonl: 'evaluations.jsonl',
  csv: 'evaluations.csv',
  best: 'best-config.json',
  pareto: 'pareto.csv',
  report: 'report.md',
  html: 'report.html',
} as const;

/** What a study folder says about itself before it has a result. */
export interface StudyHeader {
  id: string;
  createdAt: string;
  scenario: { name: string; file: string; hash: string };
  settings: StudySettings;
  versions: { node: string; meshtune: string };
}

/** Wall time of each phase of a study, ms (absent: the phase did not run in this process). */
export type PhaseWall = Partial<Record<'search' | 'simplify' | 'confirm' | 'evidence', number>>;

/** How the study ran on this machine (not part of the result). */
export interface RunInfo {
  /** Local worker threads; 0 when the study ran on a queue. */
  workers: number;
  /** The queue's address without user or password, when the study ran on one (SPEC §7.8). */
  queue?: string;
  wallMs: number;
  /** Wall time per phase (the search includes auto's baseline run). */
  phasesWallMs?: PhaseWall;
  /** Evaluations taken from the log of an earlier, interrupted run. */
  replayed: number;
  resumedAt: string[];
}

// ---------------------------------------------------------------------------
// JSON with Infinity and NaN (JSON has neither: a p99 of "no delivery" is Infinity).

export function toJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), indent);
}

export function fromJson(text: string): unknown {
  return JSON.parse(text, (_k, v: unknown) => (v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v === 'NaN' ? NaN : v));
}

// ---------------------------------------------------------------------------

/** A stable fingerprint of the scenario as loaded: a resumed study must run the same one. */
export function scenarioHash(sc: Scenario): string {
  return createHash('sha256').update(toJson({ ...sc, file: '' })).digest('hex').slice(0, 16);
}

export function meshtuneVersion(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const rel of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(path.resolve(here, rel), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'meshtune' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // try the next
    }
  }
  return 'unknown';
}

/** `<scenario>-<mode>-<yyyymmdd>-<hhmmss>` (UTC). */
export function studyId(scenarioName: string, mode: string, at: Date): string {
  const iso = at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${scenarioName.replace(/[^\w.-]+/g, '_')}-${mode}-${iso}`;
}

const CSV_COLUMNS = [
  'key',
  'phase',
  'seq',
  'candidate',
  'level',
  'fraction',
  'seeds',
  'status',
  'p99_ms',
  'mean_latency_ms',
  'throughput_per_s',
  'delivery_ratio',
  'cost_per_delivered',
  'cost',
  'wall_ms',
  'changes',
  'error',
];

function csvRow(rec: EvaluationRecord, base: MeshConfig): unknown[] {
  const o = rec.outcome;
  const changes = configChanges(base, rec.config).map((c) => `${c.path}=${c.to === undefined ? 'off' : toJson(c.to)}`);
  return [
    rec.key,
    rec.phase,
    rec.seq,
    rec.candidate,
    rec.level,
    rec.fraction,
    rec.seeds.join(' '),
    rec.status,
    o?.p99 ?? '',
    o?.meanLatency ?? '',
    o?.throughput ?? '',
    o?.deliveryRatio ?? '',
    o?.costPerDelivered ?? '',
    rec.cost,
    Math.round(rec.wallMs),
    changes.join('; '),
    rec.error ?? '',
  ];
}

/** study.json of a folder, parsed: the file's path and its document (any JSON). */
export function readStudyJson(dir: string): { file: string; doc: unknown } {
  const file = path.join(dir, FILES.study);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new StudyFolderError(`${dir}: no ${FILES.study} here; is it a study folder?`);
  }
  try {
    return { file, doc: fromJson(text) };
  } catch (err) {
    throw new StudyFolderError(`${file}: not valid JSON (${(err as Error).message})`);
  }
}

export class StudyStore {
  private jsonlFd: number;
  private csvFd: number;

  private constructor(
    readonly dir: string,
    readonly header: StudyHeader,
    private readonly base: MeshConfig,
  ) {
    this.jsonlFd = openSync(path.join(dir, FILES.jsonl), 'a');
    this.csvFd = openSync(path.join(dir, FILES.csv), 'a');
  }

  /** A new study folder; refuses one that already holds a study. */
  static create(dir: string, header: StudyHeader, scenario: Scenario): StudyStore {
    if (existsSync(path.join(dir, FILES.jsonl)) || existsSync(path.join(dir, FILES.study))) {
      throw new StudyFolderError(`${dir} already holds a study; continue it with --resume ${dir} or choose another --out`);
    }
    mkdirSync(dir, { recursive: true });
    writeFileAtomic(path.join(dir, FILES.study), `${toJson(header, 2)}\n`);
    writeFileSync(path.join(dir, FILES.jsonl), '');
    writeFileSync(path.join(dir, FILES.csv), stringify([CSV_COLUMNS]));
    return new StudyStore(dir, header, scenario.config);
  }

  /** The header of an existing study folder. */
  static readHeader(dir: string): StudyHeader {
    return readStudyJson(dir).doc as StudyHeader;
  }

  /**
   * Reopens a study folder to continue it: returns the finished evaluations
   * by key, and rewrites both logs from them (dropping a row cut short).
   */
  static resume(dir: string, scenario: Scenario): { store: StudyStore; records: Map<string, EvaluationRecord> } {
    const header = StudyStore.readHeader(dir);
    const records = new Map<string, EvaluationRecord>();
    let text = '';
    try {
      text = readFileSync(path.join(dir, FILES.jsonl), 'utf8');
    } catch {
      // no evaluation finished before the kill
    }
    for (const rec of parseEvaluations(text, path.join(dir, FILES.jsonl))) if (!records.has(rec.key)) records.set(rec.key, rec);
    const rows = [...records.values()];
    writeFileAtomic(path.join(dir, FILES.jsonl), rows.map((r) => `${toJson(r)}\n`).join(''));
    writeFileAtomic(path.join(dir, FILES.csv), stringify([CSV_COLUMNS, ...rows.map((r) => csvRow(r, scenario.config))]));
    return { store: new StudyStore(dir, header, scenario.config), records };
  }

  /** Appends one finished evaluation to both logs and syncs them to disk. */
  append(rec: EvaluationRecord): void {
    writeSync(this.jsonlFd, `${toJson(rec)}\n`);
    fsyncSync(this.jsonlFd);
    writeSync(this.csvFd, stringify([csvRow(rec, this.base)]));
    fsyncSync(this.csvFd);
  }

  /**
   * Writes the result files: study.json (header + result, `studyDocument`),
   * best-config.json (the recommended configuration) and pareto.csv. The
   * caller then renders report.md and report.html from the folder
   * (`writeReports`), exactly as `meshtune report` would.
   */
  finish(result: StudyResult, run: RunInfo): void {
    writeFileAtomic(path.join(this.dir, FILES.study), `${toJson(studyDocument(this.header, run, result), 2)}\n`);
    writeFileAtomic(path.join(this.dir, FILES.best), `${toJson(result.recommendation.config, 2)}\n`);
    const paretoRows = result.pareto.map((p) => [p.candidate, p.p99, p.loss, p.costPerDelivered]);
    writeFileAtomic(path.join(this.dir, FILES.pareto), stringify([['candidate', 'p99_ms', 'loss', 'cost_per_delivered'], ...paretoRows]));
  }

  close(): void {
    closeSync(this.jsonlFd);
    closeSync(this.csvFd);
  }
}

/** The rendered reports of a study. */
export interface StudyReports {
  markdown: string;
  html: string;
}

/** What study.json holds once a study has finished: its header, how it ran, and its result. */
export function studyDocument(header: StudyHeader, run: RunInfo, result: StudyResult): StudyHeader & { run: RunInfo } & StudyResult {
  return { ...header, run, ...result, scenario: { ...result.scenario, hash: header.scenario.hash } };
}

/** Writes report.md and report.html into a study folder (each atomically). */
export function writeReports(dir: string, reports: StudyReports): void {
  writeFileAtomic(path.join(dir, FILES.report), reports.markdown);
  writeFileAtomic(path.join(dir, FILES.html), reports.html);
}

/** The records of an evaluations.jsonl text, in file order; a line cut short by a kill is dropped. */
export function parseEvaluations(text: string, file: string = FILES.jsonl): EvaluationRecord[] {
  const out: EvaluationRecord[] = [];
  const lines = text.split('\n');
  let last = lines.length - 1;
  while (last >= 0 && lines[last]!.trim() === '') last--;
  for (let i = 0; i <= last; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    let rec: unknown;
    try {
      rec = fromJson(line);
    } catch {
      if (i === last) continue; // the line a kill cut short
      throw new StudyFolderError(`${file}:${i + 1}: not valid JSON; expected one evaluation record per line`);
    }
    const problem = recordProblem(rec);
    if (problem !== null) throw new StudyFolderError(`${file}:${i + 1}: ${problem}`);
    out.push(rec as EvaluationRecord);
  }
  return out;
}

/** A study folder that cannot be created or resumed (a usage problem, not a defect). */
export class StudyFolderError extends Error {
  override readonly name = 'StudyFolderError';
}

function writeFileAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w');
  writeSync(fd, text);
  fsyncSync(fd);
  closeSync(fd);
  renameSync(tmp, file);
}
