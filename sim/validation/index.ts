/** Simulated vs analytic queueing results (SPEC §8). */
export { runValidation, FULL_VALIDATION, type ValidationRow, type ValidationOptions } from './run.js';
export { validationCases, type ValidationCase, type ValidationMetric } from './cases.js';
export * as analytic from './analytic.js';
