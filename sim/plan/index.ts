/** Capacity planning: how much load, or how few replicas, before the SLOs break. */
export { planLoad, planRole, type PlanResult, type PlanOptions, type PlanSlo, type Probe } from './capacity.js';
export { scaleLoad, resizeRole, offeredRate } from './load.js';
