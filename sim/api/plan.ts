import { InputError } from '../scenario/index.js';
import { plan as planCore, hasSlo, planSloOf, PlanInputError, PlanRunError, scaleLoad, type PlanOptions, type PlanResult, type PlanSlo } from '../plan/index.js';
import { runScenario } from '../runner/index.js';
import type { RunLimits } from '../model/index.js';
import { fileLabel } from '../estimate/index.js';
import { MemoryRunner } from '../runner/memory-runner.js';
import { PiscinaRunner } from '../runner/piscina-runner.js';
import type { Runner } from '../runner/runner.js';
import { DEFAULT_PREFIX, loadQueue, parseQueueUrl } from '../queue/index.js';
import { meshtuneVersion, scenarioHash } from '../study/persist.js';
import { resolveConfig, resolveScenario, type ConfigInput, type ScenarioInput } from './inputs.js';
import { checkInt, checkSeed } from './options.js';

export interface PlanApiOptions extends Omit<PlanOptions, 'config' | 'runner' | 'scenarioPath' | 'seed'> {
  /** Merged over the scenario's configuration (a path or an object). */
  config?: ConfigInput;
  seed?: number;
  /** Worker threads for the runs (default 1: this thread). */
  workers?: number;
  /** Limits of every run (SPEC §6.1): the current configuration's before the plan, and each probe's. */
  limits?: Partial<RunLimits>;
  /** Run the plan's simulations on a BullMQ queue instead (SPEC §7.1, §10): `redis://…` or `rediss://…`. */
  queue?: string;
  /** Key prefix in the queue's Redis (default `meshtune`). */
  queuePrefix?: string;
}

export interface PlanOutput extends PlanResult {
  scenario: string;
  slo: PlanSlo;
}

/**
 * A capacity plan (`meshtune plan`): the largest load within the SLOs, or the
 * fewest replicas of a role. The current configuration runs once first, so a
 * plan refuses what a simulation refuses, as bad input.
 */
export async function plan(scenario: ScenarioInput, opts: PlanApiOptions = {}): Promise<PlanOutput> {
  const sc = resolveScenario(scenario);
  const config = resolveConfig(sc, opts.config);
  // The scenario's class SLOs (slo.classes) are held beside the global ones.
  const slo: PlanSlo = planSloOf(sc.slo, opts.slo);
  if (!hasSlo(slo)) {
    throw new InputError(fileLabel(sc), 'slo', 'no SLO to plan for; give slo.p99, slo.deliveryRatio (--slo-p99, --slo-delivery) or slo.classes');
  }
  if (opts.role !== undefined && !sc.roles.some((r) => r.name === opts.role)) {
    throw new InputError('', 'role', `unknown role '${opts.role}'; roles are: ${sc.roles.map((r) => r.name).join(', ')}`);
  }
  const load = opts.load ?? 1;
  if (!(load > 0) || !Number.isFinite(load) || load > 1e6) throw new InputError('', 'load', `expected a load multiplier in (0, 1e6], got ${String(load)}`);
  const seed = opts.seed === undefined ? sc.seed : checkSeed(opts.seed, 'seed');
  const workers = opts.workers === undefined ? 1 : checkInt(opts.workers, 'workers', 1, 4096);
  // A queue that cannot be used stops the plan before any work.
  const address = opts.queue === undefined ? null : parseQueueUrl(opts.queue, 'queue');
  const queue = address === null ? null : await loadQueue();
  if (address !== null) await queue!.checkReachable(address, 'queue');
  runScenario(opts.role === undefined || load === 1 ? sc : scaleLoad(sc, load), { config, seed, ...(opts.limits !== undefined ? { limits: opts.limits } : {}) });
  // Worker threads load the scenario from its file; without one, the runs stay in this thread.
  const runner: Runner =
    address !== null
      ? await queue!.QueueRunner.open({
          address,
          prefix: opts.queuePrefix ?? DEFAULT_PREFIX,
          studyId: `plan-${sc.name}`,
          createdAt: new Date().toISOString(),
          scenario: sc,
          hash: scenarioHash(sc),
          version: meshtuneVersion(),
        })
      : workers > 1 && sc.file !== ''
        ? new PiscinaRunner(workers)
        : new MemoryRunner(sc);
  const { config: _c, seed: _s, workers: _w, limits: _l, queue: _q, queuePrefix: _p, ...rest } = opts;
  try {
    const result = await planCore(sc, { ...rest, config, seed, slo, runner, ...(opts.limits !== undefined ? { limits: opts.limits } : {}) });
    return { scenario: sc.name, slo, ...result };
  } catch (err) {
    if (err instanceof PlanInputError) throw new InputError(fileLabel(sc), '', err.message);
    if (err instanceof PlanRunError) throw new InputError(fileLabel(sc), '', err.message);
    throw err;
  } finally {
    await runner.close();
  }
}
