import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  checkSnapshots,
  compareBench,
  comparisonMarkdown,
  confirmSlower,
  exactNames,
  NORMALISED_MARK,
  readSnapshotFile,
  scenarioOfTask,
  snapshotMarkdown,
  takeSnapshot,
  type BenchDocument,
  type ScenarioSnapshot,
  type SnapshotCheck,
} from '../../gate/index.js';
import { loadScenario } from '../../scenario/index.js';
import { UsageError, VerdictFailure } from '../errors.js';
import { checkOutputFile, writeOutput } from '../paths.js';
import { DEFAULT_THRESHOLD, gate, readGateFile } from '../../api/gate.js';
import { asFlagErrors, stringOption } from '../options.js';
import { note, print, printJson } from '../output.js';

/**
 * `meshtune gate --baseline A --candidate B`: a statistical regression
 * verdict between two benchmark files, two `simulate --replications R
 * --json` outputs or two finished studies (the logic is sim/gate/); exit 1
 * when something is significantly worse beyond the threshold, 2 on bad input.
 *
 * `meshtune gate --suite` (`npm run gate`): the repository's own gate — the
 * model snapshots (exact), then the quick scenario benchmark run afresh and
 * compared with results/baselines/scenarios-quick.json on its
 * machine-normalised tasks only, so a baseline taken on another machine
 * still applies; a task found slower is re-measured once and fails the gate
 * only when slower again.
 */

export interface GateFlags {
  baseline?: unknown;
  candidate?: unknown;
  threshold?: unknown;
  markdown?: unknown;
  only?: unknown;
  json?: boolean;
  suite?: boolean;
  baselines?: unknown;
  modelOnly?: boolean;
}


/**
 * The suite's timing threshold, unless --threshold says otherwise: the quick
 * benchmark runs each scenario for tens to hundreds of milliseconds, five
 * times, so its normalised figures carry 5–10% of noise between runs.
 * Measured on five runs of unchanged code on a shared 2-core machine, every
 * ordered pair gated: at 5%, 5 of 20 first passes failed and about 3% after
 * confirmation; at 10%, 3 of 20 and none of 9 confirmations. A uniform 20%
 * slowdown (samples scaled) still failed 18 of 20 first passes at 10%.
 */
export const SUITE_THRESHOLD = 0.1;

export function gateCommand(flags: GateFlags): void {
  const markdownOption = stringOption(flags.markdown, '--markdown');
  const markdownFile = markdownOption === undefined ? undefined : checkOutputFile(markdownOption, '--markdown');
  if (flags.suite) {
    const threshold = thresholdOption(flags.threshold, SUITE_THRESHOLD);
    suiteGate({ threshold, markdownFile, baselinesDir: stringOption(flags.baselines, '--baselines'), modelOnly: flags.modelOnly === true });
    return;
  }
  const threshold = thresholdOption(flags.threshold, DEFAULT_THRESHOLD);
  const only = regexOption(flags.only);
  const baselineFiles = fileList(flags.baseline, '--baseline');
  const candidateFiles = fileList(flags.candidate, '--candidate');
  if (baselineFiles.length === 0 || candidateFiles.length === 0) {
    throw new UsageError(`gate: expected --baseline <file> and --candidate <file> (or --suite); missing ${baselineFiles.length === 0 ? '--baseline' : '--candidate'}`);
  }
  const verdict = asFlagErrors(() => gate(baselineFiles, candidateFiles, { threshold, ...(only !== undefined ? { only } : {}) }));
  if (flags.json) printJson(verdict.comparison);
  else print(verdict.markdown);
  if (markdownFile !== undefined) writeOutput(markdownFile, verdict.markdown, '--markdown');
  if (verdict.failure !== null) throw new VerdictFailure(verdict.failure);
}

/** A repeatable file option: one value or several (`--baseline a.json --baseline b.json`). */
function fileList(value: unknown, flag: string): string[] {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? (value as unknown[]) : [value];
  return list.map((v) => {
    const text = stringOption(v, flag);
    if (text === undefined || text === '' || text === 'true') throw new UsageError(`${flag}: expected a file name`);
    return text;
  });
}

function thresholdOption(value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  const text = String(value).trim();
  const x = text.endsWith('%') ? Number(text.slice(0, -1)) / 100 : Number(text);
  if (text === '' || !Number.isFinite(x) || x < 0 || x >= 1) {
    throw new UsageError(`--threshold: expected a relative change in [0, 1) such as 0.05 (or 5%), got '${text}'`);
  }
  return x;
}

function regexOption(value: unknown): RegExp | undefined {
  const text = stringOption(value, '--only');
  if (text === undefined) return undefined;
  try {
    return new RegExp(text, 'i');
  } catch (err) {
    throw new UsageError(`--only: expected a regular expression, got '${text}' (${(err as Error).message})`);
  }
}

/** Reads a gate input: a JSON file, or a study folder (its study.json). */
const readDocument = readGateFile;

// ---------------------------------------------------------------------------
// The repository's own gate (`npm run gate`).

/** The checkout this command runs from: the nearest folder above it with a package.json. */
function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new UsageError('gate --suite: run it from a meshtune checkout (no package.json found above the CLI)');
    dir = up;
  }
}

const SNAPSHOTS = 'model-snapshots.json';
const QUICK_BASELINE = 'scenarios-quick.json';

interface SuiteOptions {
  threshold: number;
  markdownFile: string | undefined;
  baselinesDir: string | undefined;
  modelOnly: boolean;
}

function suiteGate(opts: SuiteOptions): void {
  const root = repoRoot();
  const baselines = opts.baselinesDir ?? path.join(root, 'results', 'baselines');
  const parts: string[] = [];
  const failures: string[] = [];

  note('gate: model snapshots…');
  const check = checkModel(root, path.join(baselines, SNAPSHOTS));
  parts.push(snapshotMarkdown(check));
  if (!check.ok) failures.push('model snapshots changed');

  if (!opts.modelOnly) {
    const timing = timingGate(root, path.join(baselines, QUICK_BASELINE), opts.threshold);
    parts.push(...timing.markdown);
    if (timing.failure !== null) failures.push(timing.failure);
  }

  const markdown = parts.join('\n');
  print(markdown);
  if (opts.markdownFile !== undefined) writeOutput(opts.markdownFile, markdown, '--markdown');
  if (failures.length > 0) throw new VerdictFailure(failures.join('; '));
}

/** Runs `npm run bench scenarios --quick [--filter …]` into a temporary folder and reads its results. */
function quickBench(root: string, filter: string | null): BenchDocument {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'meshtune-gate-'));
  try {
    const args = [path.join(root, 'bin', 'bench.js'), 'scenarios', '--quick', '--out', tmp, ...(filter !== null ? ['--filter', filter] : [])];
    const res = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    if (res.status !== 0) throw new VerdictFailure(`gate: the scenario benchmark failed (exit ${res.status ?? res.signal})`);
    const doc = readDocument(path.join(tmp, 'scenarios.json'));
    if (doc.kind !== 'bench') throw new UsageError(`${tmp}/scenarios.json: expected a benchmark results file`);
    return doc;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * The timing half of the suite: the quick scenario benchmark against the
 * committed baseline on the normalised tasks; tasks found slower are
 * re-measured once and fail the gate only when slower again
 * (sim/gate/confirm.ts says why).
 */
function timingGate(root: string, baselineFile: string, threshold: number): { markdown: string[]; failure: string | null } {
  const baseline = readDocument(baselineFile);
  if (baseline.kind !== 'bench') throw new UsageError(`${baselineFile}: expected a benchmark results file`);
  const only = new RegExp(NORMALISED_MARK.replace(/[()]/g, (c) => `\\${c}`));
  const labels = { baseline: path.relative(root, baselineFile), candidate: 'this checkout, this machine' };
  note('gate: quick scenario benchmark (npm run bench scenarios --quick)…');
  const first = compareBench(baseline.tasks, quickBench(root, null).tasks, { threshold, only });
  const markdown = [comparisonMarkdown(first, { ...labels, title: 'Scenario benchmark (normalised by the reference workload)' })];
  if (!first.failed) return { markdown, failure: null };

  const flagged = first.tasks.filter((t) => t.verdict === 'slower').map((t) => t.name);
  const scenarios = [...new Set(flagged.map(scenarioOfTask).filter((s): s is string => s !== null))];
  note(`gate: ${flagged.length} task(s) slower; re-measuring ${scenarios.join(', ')} to confirm…`);
  const again = compareBench(baseline.tasks, quickBench(root, exactNames(scenarios)).tasks, { threshold, only: new RegExp(exactNames(flagged)) });
  const verdict = confirmSlower(first, again);
  markdown.push(comparisonMarkdown(again, { ...labels, title: 'Confirmation run (the flagged scenarios, re-measured)' }));
  markdown.push(
    `${verdict.confirmed.length} of ${verdict.flagged.length} slower task(s) confirmed by the second run; ` +
      'the gate fails only on confirmed ones' +
      (verdict.unconfirmed.length > 0 ? ` (not confirmed, treated as machine noise: ${verdict.unconfirmed.join(', ')})` : '') +
      '.\n',
  );
  if (verdict.confirmed.length === 0) return { markdown, failure: null };
  return { markdown, failure: `gate failed: slower in two runs beyond ${(threshold * 100).toFixed(1)}%: ${verdict.confirmed.map((t) => t.name).join(', ')}` };
}

/** Every library scenario's fresh snapshot against the committed file. */
function checkModel(root: string, snapshotFile: string): SnapshotCheck {
  let committed;
  try {
    committed = readSnapshotFile(JSON.parse(readFileSync(snapshotFile, 'utf8')));
  } catch (err) {
    throw new UsageError(`${snapshotFile}: ${(err as Error).message}; create it with node --import tsx scripts/update-snapshots.ts`);
  }
  const dir = path.join(root, 'scenarios');
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => /\.(ya?ml|json)$/i.test(f)).sort() : [];
  const fresh = new Map<string, ScenarioSnapshot>();
  for (const f of files) {
    const scenario = loadScenario(path.join(dir, f));
    fresh.set(scenario.name, takeSnapshot(scenario, path.join('scenarios', f)));
  }
  return checkSnapshots(committed, fresh);
}
