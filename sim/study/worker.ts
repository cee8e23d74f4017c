/**
 * The study's worker entry (a piscina task): one simulation of a candidate
 * configuration on one seed. A worker loads each (scenario, fidelity, load)
 * once and compiles it once per layout (the replicas and slots a
 * configuration's `resources` and `autoscale` give each role), reusing both
 * for every task, so a task costs only the run.
 */
import { loadScenario } from '../scenario/load.js';
import { compileScenario, layoutKey, layoutOf, type CompiledScenario } from '../model/index.js';
import { scaleLoad } from '../plan/load.js';
import { runOnce } from '../runner/run.js';
import type { Metrics } from '../metrics/types.js';
import type { MeshConfig, Scenario } from '../scenario/types.js';
import { detailedRun } from './detail-run.js';
import { scaleScenario } from './fidelity.js';
import type { RunTask } from './types.js';

const scenarios = new Map<string, Scenario>();
const compiled = new Map<string, CompiledScenario>();
/**
 * Compiled models kept per worker: a study searching replica counts meets
 * many layouts, and a large mesh's model holds megabytes.
 */
const MAX_COMPILED = 16;

function compiledFor(scenarioPath: string, fraction: number, load: number, config: MeshConfig): CompiledScenario {
  const at = `${scenarioPath}|${fraction}|${load}`;
  let sc = scenarios.get(at);
  if (sc === undefined) {
    const loaded = loadScenario(scenarioPath);
    sc = scaleScenario(load === 1 ? loaded : scaleLoad(loaded, load), fraction);
    scenarios.set(at, sc);
  }
  const key = `${at}|${layoutKey(layoutOf(sc, config))}`;
  let c = compiled.get(key);
  if (c === undefined) {
    c = compileScenario(sc, config);
    if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value!);
  } else {
    compiled.delete(key);
  }
  // Most recently used last: the first key is the one to evict.
  compiled.set(key, c);
  return c;
}

/**
 * Test hook, inert unless MESHTUNE_TEST_HOOKS=1: a configuration carrying
 * `__crash: 'exit'` ends the worker thread, `'throw'` throws. It lets the
 * tests check that a study survives a dying worker.
 */
function testHook(config: MeshConfig): MeshConfig {
  if (process.env.MESHTUNE_TEST_HOOKS !== '1') return config;
  const { __crash: crash, ...rest } = config as MeshConfig & { __crash?: unknown };
  if (crash === 'exit') process.exit(3);
  if (crash === 'throw') throw new Error('test hook: deliberate failure');
  return rest as MeshConfig;
}

export default function runTask(task: RunTask): Metrics {
  const config = testHook(task.config);
  const c = compiledFor(task.scenarioPath, task.fraction, task.load ?? 1, config);
  return task.detail === true ? detailedRun(c, config, task.seed) : runOnce(c, config, task.seed);
}
