/** The work of a run before it starts (SPEC §6.1): estimate, limits, refusal. */
export { estimateWork, type Demand, type WorkEstimate, type TraceRows } from './estimate.js';
export { checkWork, fileLabel } from './limits.js';
export { traceRowsFromSize } from './trace-rows.js';
export { DEFAULT_LIMITS, type RunLimits } from '../model/control.js';
