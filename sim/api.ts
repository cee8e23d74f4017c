/**
 * meshtune as a library: the same functions the `meshtune` command runs.
 *
 *   import { simulate, optimize, MeshtuneInputError } from 'meshtune';
 *   const m = simulate('mm1', { seed: 7 });             // the object `simulate --json` prints
 *   const study = await optimize('performance', 'default', { budget: 20 });
 *
 * A scenario is a path, a name in the scenario library (`mm1`) or a plain
 * object in the file's form; a configuration is a path or an object, merged
 * over the scenario's. Bad input throws a {@link MeshtuneInputError} naming
 * the file, the field and what was expected. What this module does not
 * export is internal.
 */
import { resolveScenario, type ScenarioInput } from './api/inputs.js';
import type { Scenario } from './scenario/types.js';

export { simulate, type SimulateOptions } from './api/simulate.js';
export { optimize, renderStudyFolder, type OptimizeOptions, type OptimizeOutput } from './api/optimize.js';
export { plan, type PlanApiOptions, type PlanOutput } from './api/plan.js';
export { validate, type ValidateOptions, type ValidationReport } from './api/validate.js';
export { gate, readGateFile, type GateInput, type GateApiOptions, type GateVerdict } from './api/gate.js';
export type { ScenarioInput, ConfigInput } from './api/inputs.js';
export { InputError as MeshtuneInputError } from './scenario/errors.js';
export { estimateWork, type WorkEstimate, type Demand } from './estimate/index.js';
export { DEFAULT_LIMITS, type RunLimits, type RunProgress } from './model/index.js';
export { toEnvoy, toIstio, type ExportResult, type ExportTarget } from './report/export/index.js';
export type { Metrics } from './metrics/types.js';
export type { Scenario, MeshConfig, DistSpec } from './scenario/types.js';
export type { StudyResult, Progress, Mode, ModeArg } from './study/index.js';
export type { PlanResult, Probe, PlanSlo } from './plan/index.js';
export type { Comparison } from './gate/index.js';

/** A scenario, loaded and checked: from a path, a library name or a plain object. */
export function loadScenario(scenario: ScenarioInput, opts: { scenariosDir?: string } = {}): Scenario {
  return resolveScenario(scenario, opts);
}
