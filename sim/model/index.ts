/** The mesh model: compile a scenario once, then simulate configurations and seeds. */
export { compileScenario, agentNames, type CompiledScenario, type CompiledRole, type CompiledEntry } from './compile.js';
export { simulateRaw } from './simulate.js';
export { resolvePolicies, DEFAULTS, DEFAULT_ACK_TIMEOUT_MS, type Policies } from './policies.js';
export { DEFAULT_LIMITS, PROGRESS_EVERY, RunLimitExceeded, type RunControl, type RunLimits, type RunProgress } from './control.js';
export type { ReplicaDetailRequest } from './simulator.js';
export { layoutOf, layoutKey, modelKey, applyTopology, type RoleLayout } from './layout.js';
export type { ScaleEvent } from './scaling.js';
