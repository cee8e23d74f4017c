/**
 * What the library accepts as a scenario or a configuration: a path, a name
 * in the scenario library, or a plain object in the file's own form — all
 * checked by the same loader, so every form fails the same way.
 */
import { InputError, configFromObject, loadConfigFile, loadScenario, mergeChecked, scenarioFromObject } from '../scenario/index.js';
import type { MeshConfig, Scenario } from '../scenario/types.js';
import { fileLabel } from '../estimate/index.js';

/** A path, a library name (`mm1`), a scenario object in the file's form, or a loaded `Scenario`. */
export type ScenarioInput = string | Scenario | Record<string, unknown>;
/** A configuration file's path, or a configuration object (SPEC §5; units as numbers or strings like `250ms`). */
export type ConfigInput = string | MeshConfig | Record<string, unknown>;

/** A loaded scenario (from `loadScenario`) is recognised by what only loading adds. */
function isLoaded(v: Record<string, unknown>): v is Scenario & Record<string, unknown> {
  return Array.isArray(v.roles) && typeof v.file === 'string' && typeof v.search === 'object' && v.search !== null;
}

export function resolveScenario(input: ScenarioInput, opts: { scenariosDir?: string } = {}): Scenario {
  if (typeof input === 'string') {
    if (input.trim() === '') throw new InputError('<scenario>', '', 'expected a scenario path or a name in scenarios/, got an empty string');
    return loadScenario(input, opts);
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new InputError('<scenario>', '', 'expected a path, a library name or a scenario object');
  }
  const obj = input as Record<string, unknown>;
  return isLoaded(obj) ? (obj as Scenario) : scenarioFromObject(obj);
}

/** The configuration a run uses: the scenario's, with `config` merged over it and the result checked whole. */
export function resolveConfig(scenario: Scenario, config: ConfigInput | undefined): MeshConfig {
  if (config === undefined) return scenario.config;
  const label = typeof config === 'string' ? config : '<config object>';
  const over = typeof config === 'string' ? loadConfigFile(config) : configFromObject(config, label);
  return mergeChecked(scenario.config, over, `${fileLabel(scenario)} with ${label}`);
}
