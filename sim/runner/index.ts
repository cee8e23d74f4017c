/** Runs of the model with their engine figures (wall time, memory). */
export { runScenario, runOnce, replicationSeed, type RunOptions } from './run.js';
