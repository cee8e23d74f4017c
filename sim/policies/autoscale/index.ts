/** Autoscalers (SPEC §5 `autoscale`): pure decisions of how many replicas a role should run. */
export { resolveAutoscale, AUTOSCALE_DEFAULTS, type AutoscaleSettings } from './settings.js';
export { TargetTracking, type Decision } from './target-tracking.js';
export { HoltWinters } from './forecast.js';
export { Autoscaler, type Observation } from './autoscaler.js';
