/** Scenario files (SPEC §4) and mesh configurations (SPEC §5): loading, checking, normalizing. */
export { loadScenario, parseScenario, loadConfigFile, scenarioFromObject, configFromObject, mergeChecked } from './load.js';
export { mergeConfig, KNOB_PATHS, type KnobPath } from './config.js';
export { InputError } from './errors.js';
export { scaleScenario } from './scale.js';
export { parseDuration, parseSize, parseRate, parseBandwidth, type UnitResult } from './units.js';
export type * from './types.js';
