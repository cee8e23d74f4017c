import { loadConfigFor, loadScenario, mergeConfig } from '../../scenario/index.js';
import { runScenario } from '../../runner/index.js';
import { metricsText } from '../../report/metrics-text.js';
import { intOption, stringOption } from '../options.js';
import { print, printJson } from '../output.js';

export interface SimulateFlags {
  config?: unknown;
  seed?: unknown;
  replications?: unknown;
  json?: boolean;
  timeline?: boolean;
}

/** `meshtune simulate <scenario>`: one run, or R replications with 95% CIs. */
export function simulateCommand(scenarioArg: string, flags: SimulateFlags): void {
  const scenario = loadScenario(scenarioArg);
  const configFile = stringOption(flags.config, '--config');
  const config = configFile ? mergeConfig(scenario.config, loadConfigFor(scenario, configFile)) : scenario.config;
  const seed = intOption(flags.seed, '--seed', scenario.seed, 0);
  const replications = intOption(flags.replications, '--replications', 1, 1);
  const metrics = runScenario(scenario, { config, seed, replications, timeline: flags.timeline === true });
  if (flags.json) printJson(metrics);
  else print(metricsText(metrics));
}
