import { spawnSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadScenario } from '../sim/scenario/index.js';
import { collectEnv } from './lib/env.js';
import { libraryScenarios, repoRoot } from './lib/library.js';
import { DEFAULT_RESULTS_DIR, toMarkdown, writeResults } from './lib/results.js';
import type { BenchReport } from './lib/results.js';
import type { ChildSample } from './lib/scenario-child.js';
import { openBenchQueue, queueTasks, sampleOnQueue, type BenchQueue, type QueueSample } from './lib/scenario-queue.js';
import { NORMALISED_MARK, scenarioTasks } from './lib/scenario-tasks.js';
import { userPath } from './lib/args.js';

/**
 * Scenario benchmark (SPEC §9): every scenario of the library (`scenarios/`,
 * listed when the suite starts) plus any `--scenario <file>`, each run several
 * times, every run in a fresh Node process (bench/lib/scenario-child.ts) so
 * that its peak RSS is its own. Samples are taken in rounds — one run of each
 * scenario per round — so that slow drift of the machine spreads over all
 * scenarios instead of landing on one.
 *
 * Per scenario it records events/s, wall time, CPU time and peak RSS, and
 * machine-normalised twins of the timings, divided by the reference workload
 * measured in the same process (formula in bench/lib/scenario-tasks.ts).
 * Writes results/bench/scenarios.{json,csv,md} (or `--out`).
 *
 * With `--queue URL` the runs go through the queue instead, as `plan --queue`
 * runs its simulations: see bench/lib/scenario-queue.ts for what is measured
 * then; results go to results/bench/scenarios-queue.{json,csv,md}.
 */

/** `--quick` scales each scenario's timeline by this factor (sim/scenario/scale.ts). */
export const QUICK_FACTOR = 0.1;
/** Samples (processes) per scenario. */
const DEFAULT_SAMPLES = 7;
const QUICK_SAMPLES = 5;
const MIN_SAMPLES = 5;

const USAGE = `usage: npm run bench scenarios [flags]
flags:
  --quick             scenarios at ${QUICK_FACTOR}× their duration, ${QUICK_SAMPLES} samples each, without scenarios/scale
  --factor <x>        scale every scenario's timeline by x (overrides --quick's ${QUICK_FACTOR})
  --samples <n>       samples (processes) per scenario (default ${DEFAULT_SAMPLES}, quick ${QUICK_SAMPLES}, at least ${MIN_SAMPLES})
  --scenario <file>   also run this scenario file (repeatable)
  --no-library        run only the --scenario files, not scenarios/
  --filter <regex>    run only scenarios whose name matches
  --out <dir>         results directory (default ${DEFAULT_RESULTS_DIR})
  --warm              after each sample's run, run the compiled scenario again in the same process: events/s (warm)
  --queue <url>       run on the \`meshtune worker\`s of this queue (redis://…) instead of local processes`;

interface ScenarioArgs {
  factor: number;
  samples: number;
  /** The --scenario files, resolved. */
  given: string[];
  files: string[];
  filter: RegExp | undefined;
  outDir: string;
  quick: boolean;
  warm: boolean;
  queue: string | undefined;
}

class SuiteUsageError extends Error {}

function parse(argv: readonly string[]): ScenarioArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        quick: { type: 'boolean', default: false },
        factor: { type: 'string' },
        samples: { type: 'string' },
        scenario: { type: 'string', multiple: true },
        'no-library': { type: 'boolean', default: false },
        filter: { type: 'string' },
        out: { type: 'string' },
        warm: { type: 'boolean', default: false },
        queue: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new SuiteUsageError((err as Error).message);
  }
  const quick = values.quick === true;
  const warm = values.warm === true;
  if (warm && values.queue !== undefined) {
    throw new SuiteUsageError('--warm runs local processes: a queue worker runs many simulations, every one but its first warm already');
  }
  let factor = quick ? QUICK_FACTOR : 1;
  if (values.factor !== undefined) {
    factor = Number(values.factor);
    if (!(factor > 0) || !Number.isFinite(factor)) throw new SuiteUsageError(`--factor must be a number > 0, got ${values.factor}`);
  }
  let samples = quick ? QUICK_SAMPLES : DEFAULT_SAMPLES;
  if (values.samples !== undefined) {
    samples = Number(values.samples);
    if (!Number.isInteger(samples) || samples < MIN_SAMPLES) {
      throw new SuiteUsageError(`--samples must be an integer ≥ ${MIN_SAMPLES}, got ${values.samples}`);
    }
  }
  const given = (values.scenario ?? []).map((f) => userPath(f));
  // The library, its scale scenarios (scenarios/scale: 100,000 and 1,000,000
  // agents, kept out of the model snapshots for their cost), plus the
  // benchmark's own variants (bench/variants: a library scenario with every
  // mechanism on, to price the mechanisms in speed). `--quick` (what
  // `npm run gate` runs) leaves the scale scenarios out: p2p-100k alone costs
  // half a minute a sample even at the quick factor, more than the rest
  // together; `--scenario scenarios/scale/…` adds them back.
  const library = [
    ...libraryScenarios(),
    ...(quick ? [] : libraryScenarios(path.join(repoRoot(), 'scenarios', 'scale'))),
    ...libraryScenarios(path.join(repoRoot(), 'bench', 'variants')),
  ];
  const files = values['no-library'] === true ? given : [...library, ...given];
  return {
    factor,
    samples,
    given,
    files: [...new Set(files)],
    filter: values.filter !== undefined ? new RegExp(values.filter, 'i') : undefined,
    outDir: values.out !== undefined ? userPath(values.out) : DEFAULT_RESULTS_DIR,
    quick,
    warm,
    queue: values.queue,
  };
}

/** The compiled child next to this compiled suite (dist/bench/lib/scenario-child.js). */
const CHILD = fileURLToPath(new URL('./lib/scenario-child.js', import.meta.url));

/** Runs one sample in a fresh process (`warm`: with a second run); throws with the child's message when it fails. */
function sampleOnce(file: string, factor: number, warm: boolean): ChildSample {
  const res = spawnSync(process.execPath, [CHILD, file, String(factor), ...(warm ? ['warm'] : [])], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 1 << 20,
  });
  if (res.error) throw res.error;
  if (res.status !== 0) {
    const why = `${res.stderr}`.trim() || `exit ${res.status ?? res.signal}`;
    throw new Error(`${path.relative(process.cwd(), file) || file}: the benchmark run failed: ${why}`);
  }
  const line = `${res.stdout}`.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as ChildSample;
}

/** Suite entry: `npm run bench scenarios [--quick] [--scenario F] …`. */
export default async function main(argv: readonly string[] = []): Promise<BenchReport | undefined> {
  let args: ScenarioArgs;
  try {
    args = parse(argv);
  } catch (err) {
    if (!(err instanceof SuiteUsageError)) throw err;
    process.exitCode = 2;
    process.stderr.write(`scenarios: ${err.message}\n${USAGE}\n`);
    return undefined;
  }
  const log = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };

  // Load every file once here: a bad file is reported before any timing starts.
  const selected: Array<{ file: string; name: string }> = [];
  const seen = new Map<string, string>();
  for (const file of args.files) {
    const name = loadScenario(file).name;
    if (args.filter !== undefined && !args.filter.test(name)) continue;
    const other = seen.get(name);
    if (other !== undefined) throw new Error(`two scenarios are named '${name}': ${other} and ${file}`);
    seen.set(name, file);
    selected.push({ file, name });
  }
  if (selected.length === 0) {
    process.exitCode = 2;
    log(`scenarios: no scenario to run (none in scenarios/${args.filter ? ` matching ${String(args.filter)}` : ''}; add files with --scenario <file>)`);
    return undefined;
  }

  // Given files run beside the library unless told otherwise: said before the library's long runs start.
  const mine = args.given.length;
  if (mine > 0 && selected.length > mine && !args.filter) {
    log(`scenarios: your ${mine} file${mine === 1 ? '' : 's'} and the library's ${selected.length - mine} scenarios; add --no-library to run yours alone`);
  }
  if (args.queue !== undefined) return onQueue(args, selected, log);
  const env = collectEnv();
  log(
    `bench scenarios: ${selected.length} scenarios × ${args.samples} samples, factor ${args.factor}` +
      `${args.quick ? ' (quick)' : ''}, one process per sample`,
  );
  const samples = new Map<string, ChildSample[]>(selected.map((s) => [s.name, []]));
  for (let round = 0; round < args.samples; round++) {
    for (const { file, name } of selected) {
      const s = sampleOnce(file, args.factor, args.warm);
      samples.get(name)!.push(s);
      log(
        `  [${round + 1}/${args.samples}] ${name}: ${s.events} events, ${s.wallMs.toFixed(0)} ms ` +
          `(CPU ${s.cpuMs.toFixed(0)} ms), ${s.peakRssMB.toFixed(0)} MB, reference ${s.referenceMs.toFixed(0)} ms` +
          `${s.warmSimulateMs !== undefined ? `; simulation ${s.simulateMs.toFixed(0)} ms, again ${s.warmSimulateMs.toFixed(0)} ms` : ''}`,
      );
    }
  }

  const report: BenchReport = {
    env,
    tasks: scenarioTasks(selected.map(({ name }) => ({ name, samples: samples.get(name)! }))),
  };
  const files = writeResults('scenarios', report, args.outDir);
  const note = normalisationNote(args.factor, args.warm);
  appendFileSync(files.md, note);
  log(`wrote ${files.json}, ${files.csv}, ${files.md}`);
  process.stdout.write(toMarkdown('scenarios', report) + note);
  return report;
}

/** The footnote of the Markdown table: what the figures are and how the twins are made. */
function normalisationNote(factor: number, warm: boolean): string {
  return (
    `\nEach sample is one fresh process at the scenario's own seed, timeline scaled by ${factor}. ` +
    'Wall and CPU time cover loading, compiling and simulating; events/s counts the simulation alone ' +
    '(the process\'s first, of which V8 compiling the handlers is part); ' +
    `peak RSS is the process's maxRSS. Tasks marked ${NORMALISED_MARK} divide by the reference workload ` +
    'run first in the same process, in CPU time: CPU time / reference CPU time, and ' +
    '(events / simulation CPU time) / (reference events / reference CPU time).' +
    (warm ? ' events/s (warm) is a second run of the compiled scenario in the same process, at the same seed.' : '') +
    '\n'
  );
}

/** The same rounds, each sample a job on the queue's workers. */
async function onQueue(args: ScenarioArgs, selected: ReadonlyArray<{ file: string; name: string }>, log: (line: string) => void): Promise<BenchReport | undefined> {
  let q: BenchQueue;
  try {
    q = await openBenchQueue(args.queue!);
  } catch (err) {
    process.exitCode = 2;
    log(`scenarios: ${(err as Error).message}`);
    return undefined;
  }
  const env = collectEnv();
  log(`bench scenarios: ${selected.length} scenarios × ${args.samples} samples, factor ${args.factor}${args.quick ? ' (quick)' : ''}, through the queue at ${q.address.shown}`);
  const samples = new Map<string, QueueSample[]>(selected.map((s) => [s.name, []]));
  let told = false;
  const sayOnce = (line: string) => {
    if (told && line.includes('no worker')) return;
    told ||= line.includes('no worker');
    log(line);
  };
  for (let round = 0; round < args.samples; round++) {
    for (const { file, name } of selected) {
      const s = await sampleOnQueue(q, file, args.factor, round, sayOnce);
      samples.get(name)!.push(s);
      log(`  [${round + 1}/${args.samples}] ${name}: ${s.events} events, simulation ${s.simulateMs.toFixed(0)} ms, round trip ${s.roundTripMs.toFixed(0)} ms`);
    }
  }
  const report: BenchReport = { env, tasks: queueTasks(selected.map(({ name }) => ({ name, samples: samples.get(name)! }))) };
  const files = writeResults('scenarios-queue', report, args.outDir);
  const note =
    `\nEach sample is one job on the queue at ${q.address.shown}, the scenario at its own seed, timeline scaled by ${args.factor}. ` +
    "events/s counts the simulation alone, on the worker's clock; the round trip runs from queuing the job to its result back " +
    "(the queue, loading and compiling when the worker's thread had not seen the scenario, and the simulation). " +
    'CPU time and peak RSS belong to the worker process, shared by its jobs, and are not measured.\n';
  appendFileSync(files.md, note);
  log(`wrote ${files.json}, ${files.csv}, ${files.md}`);
  process.stdout.write(toMarkdown('scenarios-queue', report) + note);
  return report;
}
