import path from 'node:path';
import cliProgress from 'cli-progress';
import { loadScenario } from '../../scenario/index.js';
import type { Scenario } from '../../scenario/types.js';
import {
  buildSpace,
  CONFIRM_REPLICATIONS,
  DEFAULT_BUDGET,
  DEFAULT_STRATEGY,
  defaultWorkers,
  feasible,
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
  type EvaluationRecord,
  type ModeArg,
  type Objective,
  type Progress,
  type StudyHeader,
  type StudyResult,
  type StudySettings,
} from '../../study/index.js';
import { pastRecommendations } from '../../study/warm-start.js';
import { writeReports, type PhaseWall } from '../../study/persist.js';
import { renderFolder } from './report.js';
import { fmtMoney, fmtMs, fmtPct, sig } from '../../report/units.js';
import { shortfallText } from '../../report/format.js';
import { UsageError, VerdictFailure } from '../errors.js';
import { intOption, stringOption } from '../options.js';
import { note, print, printJson } from '../output.js';

export interface OptimizeFlags {
  budget?: unknown;
  workers?: unknown;
  seed?: unknown;
  out?: unknown;
  resume?: unknown;
  strategy?: unknown;
  json?: boolean;
}

const MODE_ARGS = [...MODES, 'auto'] as const;

function modeOf(arg: string): ModeArg {
  if (!(MODE_ARGS as readonly string[]).includes(arg)) throw new UsageError(`unknown mode '${arg}'; modes are: ${MODE_ARGS.join(', ')}`);
  return arg as ModeArg;
}

interface Prepared {
  scenario: Scenario;
  settings: StudySettings;
  store: StudyStore;
  previous: Map<string, EvaluationRecord>;
}

/** A new study: checks the input (the space too) before creating its folder. */
function startStudy(modeArg: string | undefined, scenarioArg: string | undefined, flags: OptimizeFlags): Prepared {
  if (modeArg === undefined || scenarioArg === undefined) {
    throw new UsageError('usage: meshtune optimize <mode> <scenario> [--budget N] [--workers W] [--seed N] [--out DIR] [--strategy S] [--json]');
  }
  const mode = modeOf(modeArg);
  const scenario = loadScenario(scenarioArg);
  buildSpace(scenario);
  const strategy = stringOption(flags.strategy, '--strategy') ?? DEFAULT_STRATEGY;
  if (!isStrategyName(strategy)) throw new UsageError(`--strategy: unknown strategy '${strategy}'; strategies are: ${STRATEGIES.join(', ')}`);
  const now = new Date();
  const id = studyId(scenario.name, mode, now);
  const out = stringOption(flags.out, '--out');
  const dir = path.resolve(out ?? path.join('results', id));
  // `auto` warm-starts from what earlier studies of this scenario recommended
  // (kept in the settings, so a resumed study makes the same proposals).
  const warmStart = mode === 'auto' ? pastRecommendations(path.dirname(dir), scenarioHash(scenario)) : [];
  const settings: StudySettings = {
    scenarioPath: scenario.file,
    mode,
    budget: intOption(flags.budget, '--budget', DEFAULT_BUDGET, MIN_BUDGET),
    seed: intOption(flags.seed, '--seed', scenario.seed, 0),
    strategy,
    confirmReplications: CONFIRM_REPLICATIONS,
    ...(warmStart.length > 0 ? { warmStart } : {}),
  };
  const header: StudyHeader = {
    id: out === undefined ? id : path.basename(dir),
    createdAt: now.toISOString(),
    scenario: { name: scenario.name, file: scenario.file, hash: scenarioHash(scenario) },
    settings,
    versions: { node: process.version, meshtune: meshtuneVersion() },
  };
  return { scenario, settings, store: guard(() => StudyStore.create(dir, header, scenario)), previous: new Map() };
}

/** An interrupted study, continued with the settings it was started with. */
function resumeStudy(dir: string, modeArg: string | undefined, scenarioArg: string | undefined, flags: OptimizeFlags): Prepared {
  const abs = path.resolve(dir);
  const header = guard(() => StudyStore.readHeader(abs));
  const s = header.settings;
  if (modeArg !== undefined && modeOf(modeArg) !== s.mode) throw new UsageError(`--resume: the study in ${dir} optimises '${s.mode}', not '${modeArg}'`);
  const conflicts: Array<[string, unknown, unknown]> = [
    ['--budget', flags.budget, s.budget],
    ['--seed', flags.seed, s.seed],
    ['--strategy', flags.strategy, s.strategy],
  ];
  for (const [flag, given, stored] of conflicts) {
    if (given !== undefined && String(given) !== String(stored)) throw new UsageError(`--resume: ${flag} ${String(given)} differs from the study's ${String(stored)}; a resumed study keeps its settings`);
  }
  const scenario = loadScenario(s.scenarioPath);
  if (scenarioArg !== undefined && path.resolve(loadScenario(scenarioArg).file) !== path.resolve(scenario.file)) {
    throw new UsageError(`--resume: the study in ${dir} is of ${s.scenarioPath}, not ${scenarioArg}`);
  }
  if (scenarioHash(scenario) !== header.scenario.hash) {
    throw new UsageError(`--resume: ${s.scenarioPath} changed since the study started; start a new study`);
  }
  const { store, records } = guard(() => StudyStore.resume(abs, scenario));
  return { scenario, settings: s, store, previous: records };
}

function guard<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof StudyFolderError) throw new UsageError(err.message);
    throw err;
  }
}

/** The log of a resumed study that no longer matches it is a usage problem (exit 2), not a defect. */
async function guardAsync<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    if (err instanceof ResumeMismatch) throw new UsageError(`--resume: ${err.message}`);
    throw err;
  }
}

/** The objective's main figure of an outcome, for progress lines. */
function bestText(p: Progress): string {
  const o = p.best;
  const obj = p.objective;
  if (o === null || obj === null) return '–';
  const value = obj.mode === 'performance' ? `p99 ${fmtMs(o.p99)}` : obj.mode === 'reliability' ? `delivery ${fmtPct(o.deliveryRatio)}` : `${fmtMoney(o.costPerDelivered)}/msg`;
  return feasible(obj, o) ? value : `${value} (misses SLO)`;
}

/** A progress bar on a terminal, plain lines every few seconds otherwise; always on stderr. */
class ProgressView {
  private bar: cliProgress.SingleBar | null = null;
  private lastLine = 0;

  constructor(
    private readonly budget: number,
    private readonly mode: string,
  ) {}

  update(p: Progress): void {
    const spent = Math.min(this.budget, Math.round(p.spent * 10) / 10);
    const payload = { evals: p.evaluations, best: bestText(p), phase: p.phase };
    if (process.stderr.isTTY) {
      if (this.bar === null) {
        this.bar = new cliProgress.SingleBar(
          {
            stream: process.stderr,
            format: `optimize ${this.mode} |{bar}| {value}/{total} runs | {evals} evaluations | best {best} | ETA {eta_formatted}`,
            etaBuffer: 50,
            hideCursor: true,
          },
          cliProgress.Presets.shades_classic,
        );
        this.bar.start(this.budget, 0, payload);
      }
      this.bar.update(spent, payload);
      return;
    }
    const now = Date.now();
    if (now - this.lastLine >= 5000 || spent >= this.budget) {
      this.lastLine = now;
      note(`meshtune: optimize ${this.mode}: ${sig(spent)}/${this.budget} runs, ${p.evaluations} evaluations, best ${bestText(p)}`);
    }
  }

  stop(): void {
    this.bar?.stop();
    this.bar = null;
  }
}

/** The one JSON document `--json` prints. */
function summaryOf(id: string, dir: string, r: StudyResult, phasesWallMs: PhaseWall): unknown {
  return {
    id,
    dir,
    scenario: r.scenario.name,
    requestedMode: r.requestedMode,
    mode: r.mode,
    auto: r.auto && { mode: r.auto.mode, weights: r.auto.weights, reasons: r.auto.reasons },
    strategy: r.strategy,
    budget: r.budget,
    spent: r.spent,
    phases: r.phases,
    phasesWallMs,
    evaluations: r.evaluations,
    objective: { primary: r.objective.primary, tieBreaks: r.objective.tieBreaks, slo: r.objective.slo },
    winner: r.winner && { candidate: r.winner.candidate, rank: r.winner.rank, changes: r.winner.changes, untested: r.winner.untested, config: r.winner.config },
    confirmation: r.confirmation && {
      seeds: r.confirmation.seeds,
      improvements: r.confirmation.improvements,
      currentFeasible: r.confirmation.currentFeasible,
      winnerFeasible: r.confirmation.winnerFeasible,
    },
    recommendation: r.recommendation,
    forecast: r.evidence.forecast && { of: r.evidence.forecast.of, breaksAt: r.evidence.forecast.breaksAt, holdsUpTo: r.evidence.forecast.holdsUpTo, bottleneck: r.evidence.forecast.bottleneck },
    files: ['study.json', 'evaluations.jsonl', 'evaluations.csv', 'best-config.json', 'pareto.csv', 'report.md', 'report.html'].map((f) => path.join(dir, f)),
  };
}

function autoText(obj: Objective, reasons: string[]): string {
  return [`auto → ${obj.mode} mode, because:`, ...reasons.map((r) => `  - ${r}`)].join('\n');
}

/** `meshtune optimize <mode> <scenario>`: a search study (SPEC §7). */
export async function optimizeCommand(modeArg: string | undefined, scenarioArg: string | undefined, flags: OptimizeFlags): Promise<void> {
  const resume = stringOption(flags.resume, '--resume');
  const workers = intOption(flags.workers, '--workers', defaultWorkers(), 1);
  const prepared = resume !== undefined ? resumeStudy(resume, modeArg, scenarioArg, flags) : startStudy(modeArg, scenarioArg, flags);
  const { scenario, settings, store, previous } = prepared;
  const header = store.header;
  const json = flags.json === true;
  const view = new ProgressView(settings.budget, settings.mode);
  if (previous.size > 0) note(`meshtune: resuming ${store.dir}: ${previous.size} finished evaluations will not be run again`);
  const runner = new PiscinaRunner(workers);
  const started = performance.now();
  const clock = new PhaseClock(started);
  let result: StudyResult;
  try {
    result = await guardAsync(() => runStudy(scenario, settings, runner, {
      previous,
      onEvaluation: (rec, p) => {
        store.append(rec);
        if (rec.phase === 'search' || rec.phase === 'auto') view.update(p);
      },
      onObjective: (obj, auto) => {
        if (auto === null) return;
        if (json) note(autoText(obj, auto.reasons));
        else print(autoText(obj, auto.reasons));
      },
      onPhase: (phase) => {
        clock.enter(phase === 'auto' ? 'search' : phase);
        if (phase === 'simplify') {
          view.stop();
          note('meshtune: checking which of the winner’s changes matter…');
        } else if (phase === 'confirm') {
          note(`meshtune: confirming the winner against the current configuration on ${settings.confirmReplications} fresh seeds…`);
        } else if (phase === 'evidence') {
          note('meshtune: measuring latency distributions, timelines and the load forecast for the report…');
        }
      },
    }));
  } finally {
    view.stop();
    await runner.close();
    store.close();
  }
  const earlier = (header as StudyHeader & { run?: { resumedAt?: string[] } }).run?.resumedAt ?? [];
  const ended = performance.now();
  const run = {
    workers,
    wallMs: ended - started,
    phasesWallMs: clock.stop(ended),
    replayed: previous.size,
    resumedAt: resume !== undefined ? [...earlier, new Date().toISOString()] : [],
  };
  store.finish(result, run);
  // The reports are rendered from the folder just written, as `meshtune report` renders them later.
  const reports = renderFolder(store.dir);
  writeReports(store.dir, reports);
  if (json) printJson(summaryOf(header.id, store.dir, result, run.phasesWallMs));
  else {
    print(reports.markdown);
    print(`Study written to ${path.relative(process.cwd(), store.dir) || '.'}/`);
  }
  const shortfall = result.recommendation.shortfall;
  if (shortfall !== null) {
    throw new VerdictFailure(`${shortfallText(shortfall, result.slo)} (see ${path.join(store.dir, 'report.md')})`);
  }
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

