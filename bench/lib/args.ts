import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_RESULTS_DIR } from './results.js';
import { DEFAULT_RUNNER_CONFIG, QUICK_RUNNER_CONFIG } from './runner.js';
import type { RunnerConfig } from './runner.js';

/**
 * A path the user typed, resolved against the directory they ran the command
 * in: `npm run` runs the suites from the package root and keeps the user's
 * directory in INIT_CWD.
 */
export function userPath(p: string): string {
  return path.resolve(process.env.INIT_CWD ?? process.cwd(), p);
}

/** Flags every suite understands (after `npm run bench <suite>`). */
export interface SuiteArgs {
  /** Directory for `<suite>.json|csv|md`. */
  outDir: string;
  /** Keeps only tasks whose name matches (case-insensitive); undefined keeps all. */
  filter: RegExp | undefined;
  /** True for `--quick`: fewer, smaller samples, for smoke tests. */
  quick: boolean;
  runner: RunnerConfig;
  /** Fresh processes to measure in (see DEFAULT_PROCESSES). */
  processes: number;
  /** Set in a child process: write its measured tasks (JSON) here instead of results. */
  childOut: string | undefined;
}

/**
 * Fresh processes per suite run. A task's rate moves between processes (JIT
 * decisions, memory layout, neighbours on a shared machine) far more than
 * between samples of one process, so samples from one process understate the
 * noise a regression gate must allow for; one median per process does not.
 */
export const DEFAULT_PROCESSES = 5;

export const SUITE_USAGE = `flags:
  --out <dir>       results directory (default ${DEFAULT_RESULTS_DIR})
  --filter <regex>  run only tasks whose name matches
  --quick           10 small samples per task, minimal warm-up (smoke test)
  --samples <n>     minimum samples per task (default ${DEFAULT_RUNNER_CONFIG.minSamples}, at least 10)
  --processes <n>   measure in n fresh processes; a task's samples are their medians (default ${DEFAULT_PROCESSES}, quick 1)`;



/** Parses suite flags; throws with the usage text on an unknown flag. */
export function parseSuiteArgs(argv: readonly string[]): SuiteArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      out: { type: 'string' },
      filter: { type: 'string' },
      quick: { type: 'boolean', default: false },
      samples: { type: 'string' },
      processes: { type: 'string' },
      'child-out': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const quick = values.quick === true;
  const runner: RunnerConfig = { ...(quick ? QUICK_RUNNER_CONFIG : DEFAULT_RUNNER_CONFIG) };
  if (values.samples !== undefined) {
    const n = Number(values.samples);
    if (!Number.isInteger(n) || n < 10) throw new Error(`--samples must be an integer ≥ 10, got ${values.samples}`);
    runner.minSamples = n;
  }
  const processes = values.processes !== undefined ? Number(values.processes) : quick ? 1 : DEFAULT_PROCESSES;
  if (!Number.isInteger(processes) || processes < 1) throw new Error(`--processes must be an integer ≥ 1, got ${values.processes}`);
  return {
    outDir: values.out !== undefined ? userPath(values.out) : DEFAULT_RESULTS_DIR,
    filter: values.filter !== undefined ? new RegExp(values.filter, 'i') : undefined,
    quick,
    runner,
    processes,
    childOut: values['child-out'],
  };
}
