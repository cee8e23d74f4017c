/** Studies (SPEC §7): search space, strategies, evaluation on worker threads, modes, validation, persistence. */
import { bracketCost } from './strategies/halving.js';
import { SIMPLIFY_SHARE } from './study.js';

export { bestOf, paretoOf } from './selection.js';
export { runStudy, type StudySettings, type StudyResult, type StudyCallbacks, type Progress, type StudyPhase, type Winner } from './study.js';
export { buildSpace, scenarioLabel, type SearchSpace } from './space.js';
export { encode, decode, configOf } from './codec.js';
export { configChanges, configKey, type ConfigChange } from './config-paths.js';
export { makeObjective, compareOutcomes, feasible, violation, type Objective, type Weights } from './objective.js';
export { decideMode, profileWorkload, type AutoDecision, type WorkloadProfile } from './auto.js';
export { confirm, CONFIRM_REPLICATIONS, TAIL_REPLICATIONS, type Confirmation, type Improvement } from './confirm.js';
export { PiscinaRunner, MemoryRunner, defaultWorkers, type Runner } from '../runner/index.js';
export type { RunTask, RunResult } from '../runner/task.js';
export { ResumeMismatch } from './evaluator.js';
export {
  StudyStore,
  StudyFolderError,
  studyId,
  scenarioHash,
  meshtuneVersion,
  toJson,
  fromJson,
  studyDocument,
  writeReports,
  parseEvaluations,
  FILES,
  type StudyHeader,
  type RunInfo,
  type StudyReports,
} from './persist.js';
export { readStudyFolder, type StoredStudy, type StudyFolder } from './folder.js';
export { collectEvidence, FORECAST_FACTORS, FORECAST_EFFORT, SATURATED, type Evidence, type RunEvidence, type Forecast, type ForecastPoint, type ForecastLimit, type FaultNote } from './evidence.js';
export { STRATEGIES, DEFAULT_STRATEGY, isStrategyName, type StrategyName } from './strategies/index.js';
export { MODES, type Mode, type ModeArg, type Outcome, type EvaluationRecord } from './types.js';

/**
 * Budget when `--budget` is not given, in full-run equivalents: on the library
 * scenarios 100 found configurations that 60 missed, at a few seconds of
 * simulation for a mid-size scenario.
 */
export const DEFAULT_BUDGET = 100;
/**
 * The smallest budget that buys one candidate at the top fidelity: a bracket
 * of one (a third of a run, a run, two more seeds) in what the search may
 * spend before the simplification's reserve (its cap while nothing has been
 * measured). At 4 the search had 3.2 for a bracket costing 3.33, evaluated
 * nothing and kept the current configuration without a run.
 */
export const MIN_BUDGET = Math.ceil(bracketCost(1) / (1 - SIMPLIFY_SHARE) - 1e-9);
