import { readFileSync } from 'node:fs';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { CONFIRM_REPLICATIONS, feasible, MIN_BUDGET, type Objective, type Progress, type StudyResult } from '../../study/index.js';
import { MAX_BUDGET, optimize, WORKER_COUNT_MS } from '../../api/optimize.js';
import { fmtMoney, fmtMs, fmtPct, sig } from '../../report/units.js';
import { shortfallText } from '../../report/format.js';
import { FILES, parseEvaluations, type PhaseWall } from '../../study/persist.js';
import type { Outcome } from '../../study/types.js';
import { UsageError, VerdictFailure } from '../errors.js';
import { asFlagErrors, intOption, limitOptions, seedOption, stringOption } from '../options.js';
import { checkOutputDir } from '../paths.js';
import { note, print, printJson } from '../output.js';
import { importForStudy, withFidelity, type ImportedStudy } from './optimize-traces.js';
import { DEFAULT_PREFIX, withoutPassword } from '../../queue/index.js';

export interface OptimizeFlags {
  budget?: unknown;
  workers?: unknown;
  seed?: unknown;
  out?: unknown;
  resume?: unknown;
  strategy?: unknown;
  queue?: unknown;
  json?: boolean;
  maxEvents?: unknown;
  maxAgents?: unknown;
  maxPending?: unknown;
  traces?: unknown;
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
  /** Off a terminal: the latest progress not yet printed (the search's end is printed when it stops). */
  private unprinted: Progress | null = null;
  /** Workers connected to the queue (null: local threads). */
  queueWorkers: number | null = null;

  constructor(
    private readonly budget: number,
    private readonly mode: string,
  ) {}

  private workersText(): string {
    return this.queueWorkers === null ? '' : ` | ${this.queueWorkers} queue worker${this.queueWorkers === 1 ? '' : 's'}`;
  }

  /** Budget spent, to a tenth of a run, at most the budget. */
  private spentOf(p: Progress): number {
    return Math.min(this.budget, Math.round(p.spent * 10) / 10);
  }

  update(p: Progress): void {
    const spent = this.spentOf(p);
    const payload = { evals: p.evaluations, best: bestText(p), phase: p.phase, workers: this.workersText() };
    if (process.stderr.isTTY) {
      if (this.bar === null) {
        this.bar = new cliProgress.SingleBar(
          {
            stream: process.stderr,
            format: `optimize ${this.mode} |{bar}| {value}/{total} runs | {evals} evaluations | best {best}{workers} | ETA {eta_formatted}`,
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
    this.unprinted = p;
    if (now - this.lastLine >= 5000 || spent >= this.budget) {
      this.lastLine = now;
      this.printLine(p);
    }
  }

  private printLine(p: Progress): void {
    this.unprinted = null;
    note(`meshtune: optimize ${this.mode}: ${sig(this.spentOf(p))}/${this.budget} runs, ${p.evaluations} evaluations, best ${bestText(p)}${this.workersText().replace(' |', ',')}`);
  }

  /** Ends the search's progress: on a terminal the bar closes; elsewhere its last state is printed if it was not. */
  stop(): void {
    this.bar?.stop();
    this.bar = null;
    if (this.unprinted !== null) this.printLine(this.unprinted);
  }
}

/**
 * Ctrl-C or a SIGTERM during a study: every finished evaluation is already in
 * the folder (appended as it finishes), so the process says how to continue
 * and exits at once (130 for SIGINT, 143 for SIGTERM, as a shell reports them).
 */
class InterruptHint {
  evaluations = 0;
  /** `--queue URL` (its password cut) when the study runs on a queue: resumed without it, the study would run locally and leave its jobs. */
  queueFlag = '';
  private dir: string | null = null;
  private readonly handlers = new Map<NodeJS.Signals, () => void>();

  constructor(private readonly beforeNote: () => void) {}

  watch(dir: string): void {
    this.dir = dir;
    for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
      const handler = (): void => this.stop(code);
      this.handlers.set(signal, handler);
      process.once(signal, handler);
    }
  }

  unwatch(): void {
    for (const [signal, handler] of this.handlers) process.off(signal, handler);
    this.handlers.clear();
  }

  private stop(code: number): void {
    this.beforeNote();
    const where = path.relative(process.cwd(), this.dir ?? '') || '.';
    const kept = this.kept();
    note(`meshtune: interrupted; the ${kept} finished evaluation${kept === 1 ? ' is' : 's are'} kept in ${where}/ — continue with: meshtune optimize --resume ${where}${this.queueFlag}`);
    process.exit(code);
  }

  /** The evaluations the folder holds (the search's, the simplification's and the rest), else the search's as last reported. */
  private kept(): number {
    try {
      return this.dir === null ? this.evaluations : parseEvaluations(readFileSync(path.join(this.dir, FILES.jsonl), 'utf8')).length;
    } catch {
      return this.evaluations;
    }
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
    winner: r.winner && {
      candidate: r.winner.candidate,
      rank: r.winner.rank,
      changes: r.winner.changes,
      untested: r.winner.untested,
      ...(r.winner.unconfirmed !== undefined ? { unconfirmed: r.winner.unconfirmed } : {}),
      config: r.winner.config,
    },
    confirmation: r.confirmation && {
      seeds: r.confirmation.seeds,
      improvements: r.confirmation.improvements,
      currentFeasible: r.confirmation.currentFeasible,
      winnerFeasible: r.confirmation.winnerFeasible,
      // What the SLOs were judged on: each p99 at the top of its 95% interval, each delivery ratio at the bottom.
      currentShown: shownFigures(r.confirmation.currentShown),
      winnerShown: shownFigures(r.confirmation.winnerShown),
    },
    recommendation: r.recommendation,
    forecast: r.evidence?.forecast && { of: r.evidence.forecast.of, breaksAt: r.evidence.forecast.breaksAt, holdsUpTo: r.evidence.forecast.holdsUpTo, bottleneck: r.evidence.forecast.bottleneck },
    files: ['study.json', 'evaluations.jsonl', 'evaluations.csv', 'best-config.json', 'pareto.csv', 'report.md', 'report.html'].map((f) => path.join(dir, f)),
  };
}

/** The SLO metrics of a `shownOutcome`: what the confirmation judged. */
function shownFigures(o: Outcome): unknown {
  return { p99: o.p99, deliveryRatio: o.deliveryRatio, ...(o.classes !== undefined ? { classes: o.classes } : {}) };
}

function autoText(obj: Objective, reasons: string[]): string {
  return [`auto → ${obj.mode} mode, because:`, ...reasons.map((r) => `  - ${r}`)].join('\n');
}

/** How often a queue's workers are counted, ms: MESHTUNE_QUEUE_COUNT_MS, else the default. */
function queueCountMs(): number {
  const text = process.env.MESHTUNE_QUEUE_COUNT_MS;
  return text === undefined || text === '' ? WORKER_COUNT_MS : intOption(text, 'MESHTUNE_QUEUE_COUNT_MS', WORKER_COUNT_MS, 50, 3_600_000);
}

/**
 * `meshtune optimize <mode> <scenario>`: a search study (SPEC §7). With
 * `--traces <format> <file…>` the scenario is imported from the traces first
 * (SPEC §11) and the report opens with its fidelity table.
 */
export async function optimizeCommand(modeArg: string | undefined, args: string[], flags: OptimizeFlags): Promise<void> {
  const traces = stringOption(flags.traces, '--traces');
  if (traces !== undefined && modeArg === 'cost') {
    // The scenario an import writes has no prices: traces do not carry them.
    throw new UsageError('--traces: cost mode needs prices, which traces do not carry; write the scenario with `meshtune import`, give it a cost block, then run `meshtune optimize cost <scenario>`');
  }
  if (traces !== undefined) {
    const imported = importForStudy(traces, args, flags);
    await studyCommand(modeArg, imported.scenario, flags, imported);
    return;
  }
  if (args.length > 1) throw new UsageError(`optimize: expected one scenario, got ${args.length} arguments (trace files need --traces <format>)`);
  await studyCommand(modeArg, args[0], flags, null);
}

async function studyCommand(modeArg: string | undefined, scenarioArg: string | undefined, flags: OptimizeFlags, imported: ImportedStudy | null): Promise<void> {
  const resume = stringOption(flags.resume, '--resume');
  if (resume === undefined && (modeArg === undefined || scenarioArg === undefined)) {
    throw new UsageError('usage: meshtune optimize <mode> <scenario> [--budget N] [--workers W] [--seed N] [--out DIR] [--strategy S] [--queue URL] [--json]');
  }
  const out = stringOption(flags.out, '--out');
  const json = flags.json === true;
  let view: ProgressView | null = null;
  let queueWorkers: number | null = null;
  // The flag wins over the environment; an empty value means no queue.
  const queue = stringOption(flags.queue, '--queue') ?? (process.env.MESHTUNE_QUEUE || undefined);
  const budget = flags.budget === undefined ? undefined : intOption(flags.budget, '--budget', 0, MIN_BUDGET, MAX_BUDGET);
  const interrupt = new InterruptHint(() => view?.stop());
  if (queue !== undefined) {
    const cut = withoutPassword(queue);
    interrupt.queueFlag = cut === null ? ` --queue ${queue}` : ` --queue ${cut} (its password in MESHTUNE_QUEUE_PASSWORD)`;
  }
  const { id, dir, result, reports, phasesWallMs } = await asFlagErrors(() =>
    optimize(modeArg, scenarioArg, {
      ...(budget !== undefined ? { budget } : {}),
      ...(flags.workers !== undefined ? { workers: intOption(flags.workers, '--workers', 1, 1, 4096) } : {}),
      ...(flags.seed !== undefined ? { seed: seedOption(flags.seed, '--seed', 0) } : {}),
      ...(out !== undefined ? { out: checkOutputDir(out, '--out') } : {}),
      ...(resume !== undefined ? { resume } : {}),
      ...(flags.strategy !== undefined ? { strategy: stringOption(flags.strategy, '--strategy') ?? '' } : {}),
      limits: limitOptions(flags),
      ...(queue !== undefined ? { queue, queuePrefix: process.env.MESHTUNE_QUEUE_PREFIX || DEFAULT_PREFIX, queueCountMs: queueCountMs() } : {}),
      onQueueWorkers: (n) => {
        queueWorkers = n;
        if (view !== null) view.queueWorkers = n;
      },
      onNote: note,
      onFolder: (folder) => interrupt.watch(folder),
      onProgress: (p) => {
        interrupt.evaluations = p.evaluations;
        view ??= new ProgressView(p.budget, p.objective?.mode ?? modeArg ?? 'study');
        view.queueWorkers = queueWorkers;
        view.update(p);
      },
      onAuto: (obj, reasons) => {
        if (json) note(autoText(obj, reasons));
        else print(autoText(obj, reasons));
      },
      onPhase: (phase) => {
        if (phase === 'simplify') {
          view?.stop();
          note('meshtune: checking which of the winner’s changes matter…');
        } else if (phase === 'confirm') {
          note(`meshtune: confirming the winner against the current configuration on ${CONFIRM_REPLICATIONS} fresh seeds…`);
        } else if (phase === 'evidence') {
          note('meshtune: measuring latency distributions, timelines and the load forecast for the report…');
        }
      },
    }).finally(() => {
      interrupt.unwatch();
      view?.stop();
    }),
  );
  const store = { dir };
  const markdown = imported === null ? reports.markdown : withFidelity(dir, reports.markdown, imported);
  if (json) printJson(summaryOf(id, store.dir, result, phasesWallMs));
  else {
    print(markdown);
    print(`Study written to ${path.relative(process.cwd(), store.dir) || '.'}/`);
  }
  const shortfall = result.recommendation.shortfall;
  if (shortfall !== null) {
    // The search saw a sample of the space: say how large, and what looks further.
    const sample = `the search tried ${result.evaluations.candidates} candidates with a budget of ${sig(result.budget)}; a larger --budget looks further`;
    throw new VerdictFailure(`${shortfallText(shortfall, result.objective.slo, result.slo)}; ${sample} (see ${path.join(store.dir, 'report.md')})`);
  }
}

