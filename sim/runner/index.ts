/**
 * Runs of the model with their engine figures (wall time, memory), and the
 * runners that carry a study's or a plan's tasks: worker threads, this
 * thread, and the task a runner executes wherever it runs.
 */
export { runScenario, runOnce, replicationSeed, type CompileProgress, type RunOptions } from './run.js';
export { defaultWorkers, type Runner } from './runner.js';
export { PiscinaRunner, workerFile } from './piscina-runner.js';
export { MemoryRunner } from './memory-runner.js';
export { LimitedRunner } from './limited-runner.js';
export { executeTask, taskScenario, variantKey, scaleScenario, VariantCache } from './task-run.js';
export { planRun, type PlanMetrics } from './plan-run.js';
export { offeredRate, scaleLoad, resizeRole } from './load.js';
export type { RunTask, RunResult, DetailedMetrics } from './task.js';
export type { FaultOnReplica, ReplicaInWindow, RunAttribution } from './attribution.js';
