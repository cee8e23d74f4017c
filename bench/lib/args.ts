import { parseArgs } from 'node:util';
import { DEFAULT_RESULTS_DIR } from './results.js';
import { DEFAULT_RUNNER_CONFIG, QUICK_RUNNER_CONFIG } from './runner.js';
import type { RunnerConfig } from './runner.js';

/** Flags every suite understands (after `npm run bench <suite>`). */
export interface SuiteArgs {
  /** Directory for `<suite>.json|csv|md`. */
  outDir: string;
  /** Keeps only tasks whose name matches (case-insensitive); undefined keeps all. */
  filter: RegExp | undefined;
  /** True for `--quick`: fewer, smaller samples, for smoke tests. */
  quick: boolean;
  runner: RunnerConfig;
}

export const SUITE_USAGE = `flags:
  --out <dir>       results directory (default ${DEFAULT_RESULTS_DIR})
  --filter <regex>  run only tasks whose name matches
  --quick           10 small samples per task, minimal warm-up (smoke test)
  --samples <n>     minimum samples per task (default ${DEFAULT_RUNNER_CONFIG.minSamples}, at least 10)`;

/** Parses suite flags; throws with the usage text on an unknown flag. */
export function parseSuiteArgs(argv: readonly string[]): SuiteArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      out: { type: 'string' },
      filter: { type: 'string' },
      quick: { type: 'boolean', default: false },
      samples: { type: 'string' },
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
  return {
    outDir: values.out ?? DEFAULT_RESULTS_DIR,
    filter: values.filter !== undefined ? new RegExp(values.filter, 'i') : undefined,
    quick,
    runner,
  };
}
