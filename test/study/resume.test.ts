/**
 * A study killed at any point and resumed ends exactly as if never killed:
 * the same evaluations.jsonl (but wallMs) and the same result, whatever was
 * in flight at the kill, whether the kill cut the last line short, and in
 * whichever order the resumed study's results arrive.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { loadScenario } from '../../sim/scenario/index.js';
import type { Runner } from '../../sim/runner/runner.js';
import { runStudy, type StudyResult, type StudySettings } from '../../sim/study/study.js';
import { CONFIRM_REPLICATIONS } from '../../sim/study/confirm.js';
import { DEFAULT_STRATEGY } from '../../sim/study/strategies/index.js';
import { FILES, parseEvaluations, scenarioHash, StudyStore, toJson } from '../../sim/study/persist.js';
import type { EvaluationRecord, RunResult, RunTask } from '../../sim/study/types.js';
import { removeTemporary, tempDir } from '../helpers.js';
import { InlineRunner, fixture, normalised } from './helpers.js';

const small = fixture('small.yaml');
const scenario = loadScenario(small);
const settings: StudySettings = {
  scenarioPath: small,
  mode: 'performance',
  budget: 30,
  seed: 3,
  strategy: DEFAULT_STRATEGY,
  confirmReplications: CONFIRM_REPLICATIONS,
  evidence: false,
};

/**
 * Runs each task at once in this thread but hands the results back a tick
 * later, last asked first: every batch arrives in reverse order, as it may
 * from two threads or a queue's machines.
 */
class ReversingRunner implements Runner {
  readonly workers = 2;
  private readonly inner = new InlineRunner();
  private held: Array<() => void> = [];
  run(task: RunTask): Promise<RunResult> {
    return this.inner.run(task).then(
      (r) =>
        new Promise<RunResult>((resolve) => {
          this.held.push(() => resolve(r));
          if (this.held.length === 1) {
            setImmediate(() => {
              for (const release of this.held.splice(0).reverse()) release();
            });
          }
        }),
    );
  }
  async close(): Promise<void> {}
}

/** A log line as it is compared: wallMs is the one field allowed to differ. */
const comparable = (rec: EvaluationRecord): string => toJson({ ...rec, wallMs: 0 });

interface Reference {
  log: EvaluationRecord[];
  result: StudyResult;
}

let reference: Reference | null = null;
async function uninterrupted(): Promise<Reference> {
  if (reference !== null) return reference;
  const log: EvaluationRecord[] = [];
  const result = await runStudy(scenario, settings, new InlineRunner(), { onEvaluation: (rec) => log.push(rec) });
  reference = { log, result };
  return reference;
}

/**
 * The study folder a kill after `k` logged evaluations leaves: the first k
 * lines, and the next one cut short in the middle (the kill came while it
 * was being written) unless k is the whole log.
 */
function killedFolder(log: readonly EvaluationRecord[], k: number): string {
  const dir = path.join(tempDir('resume'), 'study');
  const header = {
    id: 'killed',
    createdAt: '2026-01-01T00:00:00.000Z',
    scenario: { name: scenario.name, file: scenario.file, hash: scenarioHash(scenario) },
    settings,
    versions: { node: process.version, meshtune: 'test' },
  };
  const store = StudyStore.create(dir, header, scenario);
  for (const rec of log.slice(0, k)) store.append(rec);
  store.close();
  const next = log[k];
  if (next !== undefined) {
    const line = toJson(next);
    const fd = openSync(path.join(dir, FILES.jsonl), 'a');
    writeSync(fd, line.slice(0, Math.floor(line.length / 2)));
    closeSync(fd);
  }
  return dir;
}

/** Resumes the study in `dir` as `optimize --resume` does: the log read back, each new evaluation appended. */
async function resume(dir: string, runner: Runner): Promise<{ result: StudyResult; log: EvaluationRecord[] }> {
  const { store, records } = StudyStore.resume(dir, scenario);
  try {
    const result = await runStudy(scenario, settings, runner, { previous: records, onEvaluation: (rec) => store.append(rec) });
    return { result, log: parseEvaluations(readFileSync(path.join(dir, FILES.jsonl), 'utf8')) };
  } finally {
    store.close();
  }
}

/** Kill points: every few rows, and each phase's first row and the row before it. */
function killPoints(log: readonly EvaluationRecord[]): number[] {
  const points = new Set<number>([0, log.length]);
  for (let k = 0; k < log.length; k += 4) points.add(k);
  log.forEach((rec, i) => {
    if (i > 0 && rec.phase !== log[i - 1]!.phase) {
      points.add(i - 1);
      points.add(i);
      points.add(i + 1);
    }
  });
  return [...points].filter((k) => k <= log.length).sort((a, b) => a - b);
}

test('the uninterrupted study spans the search, the simplification and the confirmation', async () => {
  const { log } = await uninterrupted();
  const phases = new Set(log.map((r) => r.phase));
  assert.ok(phases.has('search') && phases.has('simplify') && phases.has('confirm'), [...phases].join(','));
  assert.ok(log.filter((r) => r.phase === 'search').length >= 20, 'a search long enough to be killed in several rungs');
  // The log is in the order the study asked for the evaluations.
  const search = log.filter((r) => r.phase === 'search').map((r) => r.seq);
  assert.equal(search, [...search].sort((a, b) => a - b));
});

test('killed after any row, with the next row cut short, a study resumed with results arriving out of order ends as if never killed', async () => {
  const ref = await uninterrupted();
  const want = ref.log.map(comparable);
  const wantResult = toJson(normalised(ref.result));
  for (const k of killPoints(ref.log)) {
    const dir = killedFolder(ref.log, k);
    const { result, log } = await resume(dir, new ReversingRunner());
    assert.equal(log.map(comparable), want, `killed after ${k} rows: the log`);
    assert.is(toJson(normalised(result)), wantResult, `killed after ${k} rows: the result`);
    const csvRows = readFileSync(path.join(dir, FILES.csv), 'utf8').trim().split('\n').length - 1;
    assert.is(csvRows, ref.log.length, `killed after ${k} rows: the CSV holds the same rows`);
  }
});

test('a study resumed twice (killed again while resuming) still ends as if never killed', async () => {
  const ref = await uninterrupted();
  const third = Math.floor(ref.log.length / 3);
  const dir = killedFolder(ref.log, third);
  // The first resume is killed after it has logged a third more of the rows.
  const { store, records } = StudyStore.resume(dir, scenario);
  let logged = 0;
  class Killed extends Error {}
  let stopped: unknown = null;
  try {
    await runStudy(scenario, settings, new ReversingRunner(), {
      previous: records,
      onEvaluation: (rec) => {
        if (logged === third) throw new Killed();
        store.append(rec);
        logged += 1;
      },
    }).catch((err: unknown) => (stopped = err));
  } finally {
    store.close();
  }
  // A log that cannot be written stops the study with its error, nothing logged after it.
  assert.ok(stopped instanceof Killed, String(stopped));
  assert.is(parseEvaluations(readFileSync(path.join(dir, FILES.jsonl), 'utf8')).length, 2 * third);
  const { result, log } = await resume(dir, new ReversingRunner());
  assert.equal(log.map(comparable), ref.log.map(comparable));
  assert.is(toJson(normalised(result)), toJson(normalised(ref.result)));
});

test('only the last line may be cut short: it is dropped, and a bad line before it is refused with its number', async () => {
  const [a, b, c] = (await uninterrupted()).log.map((r) => toJson(r));
  const cut = (line: string): string => line.slice(0, Math.floor(line.length / 2));
  assert.is(parseEvaluations(`${a}\n${b}\n${cut(c!)}`, 'evaluations.jsonl').length, 2);
  assert.throws(() => parseEvaluations(`${a}\n${cut(b!)}\n${c}\n`, 'evaluations.jsonl'), /evaluations\.jsonl:2: not valid JSON/);
});

test.after(removeTemporary);

test.run();
