/**
 * The worker-thread entry (a piscina task): one simulation of a candidate
 * configuration on one seed. A worker loads and compiles each (scenario,
 * fidelity, load, replica counts, layout of resources) once and reuses it for
 * every task, so a task costs only the run.
 */
import { isMainThread } from 'node:worker_threads';
import { loadScenario } from '../scenario/load.js';
import type { Metrics } from '../metrics/types.js';
import type { MeshConfig } from '../scenario/types.js';
import { executeTask, VariantCache } from './task-run.js';
import type { RunTask } from './task.js';

const compiled = new VariantCache();

/**
 * Test hook, inert unless MESHTUNE_TEST_HOOKS=1: a configuration carrying
 * `__crash: 'exit'` ends the worker thread, `'throw'` throws. It lets the
 * tests check that a study survives a dying worker. With `__sleep: true`, a
 * process given MESHTUNE_TEST_SLEEP_MS holds the run that long first, so a
 * test can kill it mid-run.
 */
export function testHook(config: MeshConfig): MeshConfig {
  if (process.env.MESHTUNE_TEST_HOOKS !== '1') return config;
  const { __crash: crash, __sleep: sleep, ...rest } = config as MeshConfig & { __crash?: unknown; __sleep?: unknown };
  const sleepMs = Number(process.env.MESHTUNE_TEST_SLEEP_MS ?? 0);
  if (sleep === true && sleepMs > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, sleepMs);
  // On a main thread the exit would end the test itself.
  if (crash === 'exit') {
    if (isMainThread) throw new Error('test hook: an exit asked on the main thread');
    process.exit(3);
  }
  if (crash === 'throw') throw new Error('test hook: deliberate failure');
  return rest as MeshConfig;
}

export default function runTask(task: RunTask): Metrics {
  const config = testHook(task.config);
  const c = compiled.get(task.scenarioPath, () => loadScenario(task.scenarioPath), task, config);
  return executeTask(task, c, config);
}
