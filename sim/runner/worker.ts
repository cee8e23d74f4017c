/**
 * The worker-thread entry (a piscina task): one simulation of a candidate
 * configuration on one seed. A worker loads and compiles each (scenario,
 * fidelity, load, replica counts, layout of resources) once and reuses it for
 * every task, so a task costs only the run.
 */
import { loadScenario } from '../scenario/load.js';
import type { Metrics } from '../metrics/types.js';
import type { MeshConfig } from '../scenario/types.js';
import { executeTask, VariantCache } from './task-run.js';
import type { RunTask } from './task.js';

const compiled = new VariantCache();

/**
 * Test hook, inert unless MESHTUNE_TEST_HOOKS=1: a configuration carrying
 * `__crash: 'exit'` ends the worker thread, `'throw'` throws. It lets the
 * tests check that a study survives a dying worker. MESHTUNE_TEST_SLEEP_MS
 * holds every run that long first, so a test can kill a process mid-run.
 */
export function testHook(config: MeshConfig): MeshConfig {
  if (process.env.MESHTUNE_TEST_HOOKS !== '1') return config;
  const sleepMs = Number(process.env.MESHTUNE_TEST_SLEEP_MS ?? 0);
  if (sleepMs > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, sleepMs);
  const { __crash: crash, ...rest } = config as MeshConfig & { __crash?: unknown };
  if (crash === 'exit') process.exit(3);
  if (crash === 'throw') throw new Error('test hook: deliberate failure');
  return rest as MeshConfig;
}

export default function runTask(task: RunTask): Metrics {
  const config = testHook(task.config);
  const c = compiled.get(task.scenarioPath, () => loadScenario(task.scenarioPath), task, config);
  return executeTask(task, c, config);
}
