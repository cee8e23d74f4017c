import { simulate } from '../../api/simulate.js';
import { metricsText } from '../../report/metrics-text.js';
import { intOption, limitOptions, seedOption, stringOption } from '../options.js';
import { print, printJson } from '../output.js';
import { runProgress } from '../progress.js';

export interface SimulateFlags {
  config?: unknown;
  seed?: unknown;
  replications?: unknown;
  json?: boolean;
  timeline?: boolean;
  maxEvents?: unknown;
  maxAgents?: unknown;
  maxPending?: unknown;
}

/** `meshtune simulate <scenario>`: one run, or R replications with 95% CIs. */
export function simulateCommand(scenarioArg: string, flags: SimulateFlags): void {
  const config = stringOption(flags.config, '--config');
  const progress = runProgress(`simulate ${scenarioArg}`);
  const seed = flags.seed === undefined ? undefined : seedOption(flags.seed, '--seed', 0);
  const replications = intOption(flags.replications, '--replications', 1, 1, 1000);
  let metrics;
  try {
    metrics = simulate(scenarioArg, {
      ...(config !== undefined ? { config } : {}),
      ...(seed !== undefined ? { seed } : {}),
      replications,
      timeline: flags.timeline === true,
      limits: limitOptions(flags),
      onProgress: progress.onProgress,
    });
  } finally {
    progress.done();
  }
  if (flags.json) printJson(metrics);
  else print(metricsText(metrics));
}
