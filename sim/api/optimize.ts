/**
 * A study as a function (`meshtune optimize`, SPEC §7): it checks every input
 * and runs the current configuration once before it creates the study folder,
 * so a study that cannot run stops with bad input and leaves nothing behind;
 * then it searches, writes the folder and its reports, and returns the result.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  buildSpace,
  CONFIRM_REPLICATIONS,
  DEFAULT_BUDGET,
  DEFAULT_STRATEGY,
  FILES,
  defaultWorkers,
  isStrategyName,
  meshtuneVersion,
  MIN_BUDGET,
  MODES,
  PiscinaRunner,
  ResumeMismatch,
  runStudy,
  scenarioHash,
  StudyFolderError,
  studyId,
  StudyStore,
  STRATEGIES,
  TAIL_REPLICATIONS,
  type EvaluationRecord,
  type ModeArg,
  type Objective,
  type Progress,
  type StudyHeader,
  type StudyPhase,
  type StudyReports,
  type StudyResult,
  type StudySettings,
} from '../study/index.js';
import { pastRecommendations } from '../study/warm-start.js';
import { writeReports, type PhaseWall } from '../study/persist.js';
import { readStudyFolder } from '../study/folder.js';
import { renderStudyReport, renderStudyReportHtml, reportDataOf } from '../report/study-report.js';
import { InputError, loadScenario } from '../scenario/index.js';
import type { Scenario } from '../scenario/types.js';
import { runScenario } from '../runner/index.js';
import type { Runner } from '../runner/runner.js';
import { DEFAULT_PREFIX, loadQueue, parseQueueUrl, type QueueAddress } from '../queue/index.js';
import type { RunLimits } from '../model/index.js';
import { resolveScenario, type ScenarioInput } from './inputs.js';
import { checkInt, checkSeed } from './options.js';

export interface OptimizeOptions {
  /** Full-run equivalents the search may spend (default 100). */
  budget?: number;
  /** Worker threads (default: one per core; more than the cores is capped, with a note). */
  workers?: number;
  /** Study seed (default: the scenario's). */
  seed?: number;
  /** Study folder (default: results/<study-id>). */
  out?: string;
  /** Continue the interrupted study in this folder (the mode and scenario may then be left out). */
  resume?: string;
  /** Search strategy (default halving). */
  strategy?: string;
  /**
   * Limits of every simulation (SPEC §6.1): the current configuration's run
   * before the study, and each evaluation, on threads or a queue's machines;
   * a candidate beyond them is one failed evaluation. Kept in the study's
   * settings: a resumed study keeps them.
   */
  limits?: Partial<RunLimits>;
  /** Search progress, after each evaluation of the search. */
  onProgress?: (p: Progress) => void;
  onPhase?: (phase: StudyPhase) => void;
  /** `auto`: the mode chosen and why. */
  onAuto?: (objective: Objective, reasons: string[]) => void;
  /** Notes for the user (resuming, a capped worker count, the queue lost and back). */
  onNote?: (text: string) => void;
  /** The study folder, once it holds the study (before any evaluation): where an interrupted study is continued from. */
  onFolder?: (dir: string) => void;
  /**
   * Evaluate on a BullMQ queue instead of local threads (SPEC §7.8):
   * `redis://[user[:password]@]host[:port][/db]` or `rediss://…`; the
   * password may instead be in MESHTUNE_QUEUE_PASSWORD.
   */
  queue?: string;
  /** Key prefix in the queue's Redis (default `meshtune`). */
  queuePrefix?: string;
  /** With `queue`: how many workers are connected, every few seconds. */
  onQueueWorkers?: (workers: number) => void;
  /** With `queue`: how often the workers are counted, ms (default 2000). */
  queueCountMs?: number;
}

export interface OptimizeOutput {
  id: string;
  /** The study folder. */
  dir: string;
  result: StudyResult;
  reports: StudyReports;
  settings: StudySettings;
  workers: number;
  /** Wall time of each phase in this process, ms. */
  phasesWallMs: PhaseWall;
}

/** Largest budget, in full-run equivalents. */
export const MAX_BUDGET = 1_000_000;
/** Most worker threads asked for, before the cap at the core count. */
const MAX_WORKERS_ASKED = 4096;

const MODE_ARGS = [...MODES, 'auto'] as const;

function modeOf(arg: string): ModeArg {
  if (arg === 'reset') throw new InputError('', 'mode', "reset writes the recommended defaults, it does not study a scenario: run 'meshtune reset [--out F]'");
  if (!(MODE_ARGS as readonly string[]).includes(arg)) throw new InputError('', 'mode', `unknown mode '${arg}'; modes are: ${MODE_ARGS.join(', ')} (and 'meshtune reset' for the recommended defaults)`);
  return arg as ModeArg;
}

interface Prepared {
  scenario: Scenario;
  settings: StudySettings;
  store: StudyStore;
  previous: Map<string, EvaluationRecord>;
}

function folderGuard<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof StudyFolderError) throw new InputError('', '', err.message);
    throw err;
  }
}

/** A scenario the study's workers can load again: a file. An object scenario is written into the study folder. */
function scenarioFile(input: ScenarioInput): { scenario: Scenario; text: string | null } {
  if (typeof input !== 'string' && !(Array.isArray((input as { roles?: unknown }).roles) && typeof (input as { file?: unknown }).file === 'string')) {
    const scenario = resolveScenario(input);
    // Trace paths resolve against the working folder here, and must keep doing so from the study folder.
    const obj = input as Record<string, unknown>;
    const workload = Array.isArray(obj.workload)
      ? obj.workload.map((w: unknown) => {
          const e = w as Record<string, unknown>;
          return typeof e?.file === 'string' ? { ...e, file: path.resolve(e.file) } : w;
        })
      : obj.workload;
    return { scenario, text: `${JSON.stringify({ ...obj, workload }, null, 2)}\n` };
  }
  const scenario = resolveScenario(input);
  if (scenario.file === '') throw new InputError('<scenario>', '', 'a study needs its scenario as a file, a library name or a plain scenario object');
  return { scenario, text: null };
}

/**
 * Cost mode ranks by cost per delivered message: with every price 0 each
 * configuration costs $0, and the search would spend its budget ranking ties.
 */
function checkPrices(mode: ModeArg, sc: Scenario): void {
  if (mode !== 'cost') return;
  if (Object.values(sc.cost).some((price) => typeof price === 'number' && price > 0)) return;
  throw new InputError(
    sc.file,
    'cost',
    'cost mode needs prices, and every one here is 0 (every configuration would cost $0); give cost: {perMessage, perGB, perCpuHour, perAgentHour, perSlotHour, perMTokenIn, perMTokenOut} in the scenario, or choose another mode',
  );
}

function startStudy(modeArg: string, input: ScenarioInput, opts: OptimizeOptions): Prepared {
  const mode = modeOf(modeArg);
  const { scenario: loaded, text } = scenarioFile(input);
  checkPrices(mode, loaded);
  buildSpace(loaded);
  const strategy = opts.strategy ?? DEFAULT_STRATEGY;
  if (!isStrategyName(strategy)) throw new InputError('', 'strategy', `unknown strategy '${strategy}'; strategies are: ${STRATEGIES.join(', ')}`);
  const budget = opts.budget === undefined ? DEFAULT_BUDGET : checkInt(opts.budget, 'budget', MIN_BUDGET, MAX_BUDGET);
  const seed = opts.seed === undefined ? loaded.seed : checkSeed(opts.seed, 'seed');
  // The current configuration runs once, as `simulate` would: a study refuses what a simulation refuses.
  runScenario(loaded, { seed, ...(opts.limits !== undefined ? { limits: opts.limits } : {}) });
  const now = new Date();
  const id = studyId(loaded.name, mode, now);
  const dir = path.resolve(opts.out ?? path.join('results', id));
  let scenario = loaded;
  const warmStart = mode === 'auto' ? pastRecommendations(path.dirname(dir), scenarioHash(scenario)) : [];
  const settingsOf = (sc: Scenario): StudySettings => ({
    scenarioPath: sc.file,
    mode,
    budget,
    seed,
    strategy,
    confirmReplications: CONFIRM_REPLICATIONS,
    tailReplications: TAIL_REPLICATIONS,
    ...(warmStart.length > 0 ? { warmStart } : {}),
    ...(opts.limits !== undefined && Object.keys(opts.limits).length > 0 ? { limits: { ...opts.limits } } : {}),
  });
  const headerOf = (sc: Scenario): StudyHeader => ({
    id: opts.out === undefined ? id : path.basename(dir),
    createdAt: now.toISOString(),
    scenario: { name: sc.name, file: sc.file, hash: scenarioHash(sc) },
    settings: settingsOf(sc),
    versions: { node: process.version, meshtune: meshtuneVersion() },
  });
  if (text !== null) {
    // An object scenario becomes the study's own file, which its workers (and a resume) load.
    if (existsSync(path.join(dir, FILES.study))) throw new InputError('', 'out', `${dir} already holds a study; continue it with resume or choose another folder`);
    const file = path.join(dir, 'scenario.json');
    folderGuard(() => {
      try {
        mkdirSync(dir, { recursive: true });
        writeFileSync(file, text);
      } catch (err) {
        throw new StudyFolderError(`cannot write ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
      }
    });
    scenario = loadScenario(file);
  }
  return { scenario, settings: settingsOf(scenario), store: folderGuard(() => StudyStore.create(dir, headerOf(scenario), scenario)), previous: new Map() };
}

/** An interrupted study, continued with the settings it was started with. */
function resumeStudy(
  dir: string,
  modeArg: string | undefined,
  input: ScenarioInput | undefined,
  given: { budget?: unknown; seed?: unknown; strategy?: unknown; limits?: Partial<RunLimits> },
): Prepared {
  const abs = path.resolve(dir);
  const header = folderGuard(() => StudyStore.readHeader(abs));
  const s = header.settings;
  if (modeArg !== undefined && modeOf(modeArg) !== s.mode) throw new InputError('', 'resume', `the study in ${dir} optimises '${s.mode}', not '${modeArg}'`);
  const conflicts: Array<[string, unknown, unknown]> = [
    ['budget', given.budget, s.budget],
    ['seed', given.seed, s.seed],
    ['strategy', given.strategy, s.strategy],
  ];
  for (const [name, value, stored] of conflicts) {
    if (value !== undefined && String(value) !== String(stored)) {
      throw new InputError('', 'resume', `${name} ${String(value)} differs from the study's ${String(stored)}; a resumed study keeps its settings`);
    }
  }
  // A limit decides which candidates fail: a resumed study keeps the ones it started with.
  for (const key of ['maxEvents', 'maxAgents', 'maxPending'] as const) {
    const value = given.limits?.[key];
    if (value !== undefined && value !== s.limits?.[key]) {
      throw new InputError('', 'resume', `${key} ${value} differs from the study's ${s.limits?.[key] ?? 'default'}; a resumed study keeps its limits`);
    }
  }
  const scenario = loadScenario(s.scenarioPath);
  if (input !== undefined && path.resolve(resolveScenario(input).file) !== path.resolve(scenario.file)) {
    throw new InputError('', 'resume', `the study in ${dir} is of ${s.scenarioPath}, not ${typeof input === 'string' ? input : 'the scenario given'}`);
  }
  if (scenarioHash(scenario) !== header.scenario.hash) {
    throw new InputError('', 'resume', `${s.scenarioPath} changed since the study started; start a new study`);
  }
  const { store, records } = folderGuard(() => StudyStore.resume(abs, scenario));
  return { scenario, settings: s, store, previous: records };
}

/** Worker threads: as asked, but never more than the cores (each thread holds a model; beyond the cores they only contend). */
export function workerCount(asked: number | undefined, note: (text: string) => void): number {
  const cores = defaultWorkers();
  if (asked === undefined) return cores;
  const n = checkInt(asked, 'workers', 1, MAX_WORKERS_ASKED);
  if (n > cores) note(`meshtune: ${n} workers asked for, but this machine has ${cores} core${cores === 1 ? '' : 's'}; using ${cores}`);
  return Math.min(n, cores);
}

/** Both reports of a finished study folder, rendered as `meshtune report` renders them. */
export function renderStudyFolder(dir: string): StudyReports {
  const folder = folderGuard(() => readStudyFolder(dir));
  const data = reportDataOf(folder.study, folder.evaluations);
  return { markdown: renderStudyReport(data), html: renderStudyReportHtml(data) };
}

/**
 * A study: the mode (`performance`, `reliability`, `cost`, `auto`) on a
 * scenario; or, with `resume`, the study in that folder, continued.
 */
export async function optimize(mode: string | undefined, scenario: ScenarioInput | undefined, opts: OptimizeOptions = {}): Promise<OptimizeOutput> {
  const note = opts.onNote ?? (() => {});
  // A queue that cannot be used stops the study before any work.
  const address: QueueAddress | null = opts.queue === undefined ? null : parseQueueUrl(opts.queue, 'queue');
  const queue = address === null ? null : await loadQueue();
  if (address !== null) await queue!.checkReachable(address, 'queue');
  const workers = address !== null ? 0 : workerCount(opts.workers, note);
  let prepared: Prepared;
  if (opts.resume !== undefined) {
    prepared = resumeStudy(opts.resume, mode, scenario, {
      budget: opts.budget,
      seed: opts.seed,
      strategy: opts.strategy,
      ...(opts.limits !== undefined ? { limits: opts.limits } : {}),
    });
  } else {
    if (mode === undefined || scenario === undefined) throw new InputError('', 'mode', 'expected a mode and a scenario (or resume: <folder>)');
    prepared = startStudy(mode, scenario, opts);
  }
  const { scenario: sc, settings, store, previous } = prepared;
  const header = store.header;
  if (previous.size > 0) note(`meshtune: resuming ${store.dir}: ${previous.size} finished evaluations will not be run again`);
  opts.onFolder?.(store.dir);
  const queueRunner =
    address === null
      ? null
      : await queue!.QueueRunner.open({
          address,
          prefix: opts.queuePrefix ?? DEFAULT_PREFIX,
          studyId: header.id,
          createdAt: header.createdAt,
          scenario: sc,
          hash: header.scenario.hash,
          version: meshtuneVersion(),
          onNote: note,
        });
  const runner: Runner = queueRunner ?? new PiscinaRunner(workers);
  const watch =
    queueRunner !== null
      ? watchWorkers(queueRunner, opts.onQueueWorkers ?? (() => {}), () =>
          note(`meshtune: no worker serves the queue at ${address!.shown} yet; the study waits for one — start it with: meshtune worker --queue ${address!.shown}`),
          opts.queueCountMs,
        )
      : null;
  const started = performance.now();
  const clock = new PhaseClock(started);
  let result: StudyResult;
  try {
    result = await runStudy(sc, settings, runner, {
      previous,
      onEvaluation: (rec, p) => {
        store.append(rec);
        if (rec.phase === 'search' || rec.phase === 'auto') opts.onProgress?.(p);
      },
      onObjective: (obj, auto) => {
        if (auto !== null) opts.onAuto?.(obj, auto.reasons);
      },
      onPhase: (phase) => {
        clock.enter(phase === 'auto' ? 'search' : phase);
        opts.onPhase?.(phase);
      },
    });
  } catch (err) {
    if (err instanceof ResumeMismatch) throw new InputError('', 'resume', err.message);
    throw err;
  } finally {
    if (watch !== null) clearInterval(watch);
    await runner.close();
    store.close();
  }
  const earlier = (header as StudyHeader & { run?: { resumedAt?: string[] } }).run?.resumedAt ?? [];
  const ended = performance.now();
  const phasesWallMs = clock.stop(ended);
  store.finish(result, {
    workers,
    ...(address !== null ? { queue: address.shown } : {}),
    wallMs: ended - started,
    phasesWallMs,
    replayed: previous.size,
    resumedAt: opts.resume !== undefined ? [...earlier, new Date().toISOString()] : [],
  });
  // The reports are rendered from the folder just written, as `meshtune report` renders them later.
  const reports = renderStudyFolder(store.dir);
  writeReports(store.dir, reports);
  return { id: header.id, dir: store.dir, result, reports, settings, workers, phasesWallMs };
}

/** How often the coordinator counts the queue's workers for its progress line, ms. */
export const WORKER_COUNT_MS = 2000;

/** Looks without a worker after which the study says it waits for one. */
const NO_WORKER_LOOKS = 5;

/**
 * Polls the workers serving a study's queue every `everyMs`, telling each
 * count; `idle` is called once when NO_WORKER_LOOKS looks in a row found none.
 */
export function watchWorkers(runner: { connectedWorkers(): Promise<number> }, tell: (n: number) => void, idle: () => void, everyMs = WORKER_COUNT_MS): NodeJS.Timeout {
  let empty = 0;
  const look = () =>
    void runner.connectedWorkers().then((n) => {
      tell(n);
      // Said once, after 8 s with nobody: a study on a queue no worker serves waits, silently otherwise.
      empty = n > 0 ? -Infinity : empty + 1;
      if (empty === NO_WORKER_LOOKS) idle();
    });
  look();
  const t = setInterval(look, everyMs);
  t.unref();
  return t;
}

/** Wall time per phase of a study, from the phase changes it reports. */
class PhaseClock {
  private phase: keyof PhaseWall | null = null;
  private readonly wall: PhaseWall = {};
  constructor(private since: number) {}

  enter(phase: keyof PhaseWall, now = performance.now()): void {
    this.stop(now);
    this.phase = phase;
    this.since = now;
  }

  /** Closes the phase in progress; the wall times so far. */
  stop(now: number): PhaseWall {
    if (this.phase !== null) this.wall[this.phase] = (this.wall[this.phase] ?? 0) + (now - this.since);
    this.phase = null;
    this.since = now;
    return { ...this.wall };
  }
}
