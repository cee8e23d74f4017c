/** Capacity planning: how much load, or how few replicas, before the SLOs break — and what breaks them. */
export { plan, planLoad, planRole, planSloOf, hasSlo, brokenAt, effortOf, PlanInputError, type PlanOptions } from './plan.js';
export { DEFAULT_EFFORT, type Effort } from './decision.js';
export { targetRange, searchMaxOf } from './autoscale-plan.js';
export { PlanRunError } from './runs.js';
export { scaleLoad, resizeRole, offeredRate } from '../runner/load.js';
export type { PlanResult, PlanSlo, ClassSlo, ClassProbe, SloRef, Probe, Replication, Verdict, Bottleneck, LeverResult, LeverKind, ReplicaInWindow, RunAttribution, FaultOnReplica } from './types.js';
