import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { InputError, parseScenario } from '../../sim/scenario/index.js';
import { removeTemporary, tempDir } from '../helpers.js';

/** A valid scenario: a coordinator hands work to workers. */
const BASE = {
  duration: '10s',
  roles: {
    coordinator: { count: 2, service: '5ms' },
    worker: { count: 4, workers: 2, service: '40ms' },
  },
  workload: [{ pattern: 'poisson', to: 'coordinator', then: ['worker'], rate: '5/s' }],
} as const;

const FILE = 'scenarios/resources.json';

function failure(doc: unknown): InputError {
  try {
    parseScenario(JSON.stringify(doc), FILE);
  } catch (err) {
    if (err instanceof InputError) return err;
    throw new Error(`expected an InputError, got ${String(err)}`);
  }
  throw new Error('expected the scenario to be rejected');
}

const withWorker = (extra: Record<string, unknown>) => ({ ...BASE, roles: { ...BASE.roles, worker: { ...BASE.roles.worker, ...extra } } });
const withConfig = (config: unknown, more: Record<string, unknown> = {}) => ({ ...BASE, ...more, config });

function expectError(doc: unknown, field: string, detail: RegExp): void {
  const err = failure(doc);
  assert.is(err.path, field);
  assert.match(err.detail, detail);
  assert.is(err.message.split('\n').length, 1);
}

test.after(removeTemporary);

test('good bounds, resources and autoscalers load', () => {
  const sc = parseScenario(
    JSON.stringify({
      ...withWorker({ scale: { count: [1, 8], workers: [1, 4] } }),
      cost: { perSlotHour: 0.5 },
      config: { resources: { coordinator: { count: 3 } }, autoscale: { worker: { max: 12, target: 0.6, period: '30s', provisioning: '1m' } } },
    }),
    FILE,
  );
  assert.equal(sc.roles[1]!.scale, { count: [1, 8], workers: [1, 4] });
  assert.is(sc.roles[0]!.scale, undefined, 'no bounds: no field, as before');
  assert.is(sc.cost.perSlotHour, 0.5);
  assert.equal(sc.config.autoscale, { worker: { max: 12, target: 0.6, period: 30_000, provisioning: 60_000 } });
});

test('bounds: min above max, zero, or not a pair', () => {
  expectError(withWorker({ scale: { count: [8, 2] } }), 'roles.worker.scale.count[1]', /expected max >= min \(8\), got 2/);
  expectError(withWorker({ scale: { workers: [0, 4] } }), 'roles.worker.scale.workers[0]', /at least 1/);
  expectError(withWorker({ scale: { count: 4 } }), 'roles.worker.scale.count', /expected \[min, max\]/);
  expectError(withWorker({ scale: {} }), 'roles.worker.scale', /count: \[min, max\] and\/or workers/);
});

test('autoscale: min above max, a target of 0, a utilisation above 1, an unknown key', () => {
  expectError(withConfig({ autoscale: { worker: { min: 6, max: 3 } } }), 'config.autoscale.worker.max', /expected max >= min \(6\), got 3/);
  expectError(withConfig({ autoscale: { worker: { max: 3, target: 0 } } }), 'config.autoscale.worker.target', /more than 0/);
  expectError(withConfig({ autoscale: { worker: { max: 3, target: 1.5 } } }), 'config.autoscale.worker.target', /utilisation in \(0, 1\]/);
  expectError(withConfig({ autoscale: { worker: { min: 2 } } }), 'config.autoscale.worker.max', /required/);
  expectError(withConfig({ autoscale: { worker: { max: 3, season: '1h' } } }), 'config.autoscale.worker.season', /predictive/);
  expectError(withConfig({ autoscale: { worker: { max: 3, tolerence: 0.2 } } }), 'config.autoscale.worker.tolerence', /did you mean 'tolerance'/);
});

test('autoscale rate policies: empty, unknown type, a fall above 100%, policies with select: disabled', () => {
  const rate = (downRate: unknown) => withConfig({ autoscale: { worker: { max: 3, downRate } } });
  expectError(rate({ policies: [] }), 'config.autoscale.worker.downRate.policies', /at least one policy/);
  expectError(rate({ policies: [{ type: 'pod', value: 1, period: '1m' }] }), 'config.autoscale.worker.downRate.policies[0].type', /did you mean 'pods'/);
  expectError(rate({ policies: [{ type: 'percent', value: 150, period: '1m' }] }), 'config.autoscale.worker.downRate.policies[0].value', /\[1, 100\]/);
  expectError(rate({ policies: [{ type: 'pods', value: 1 }] }), 'config.autoscale.worker.downRate.policies[0].period', /required/);
  expectError(rate({ select: 'disabled', policies: [{ type: 'pods', value: 1, period: '1m' }] }), 'config.autoscale.worker.downRate', /not used with select: disabled/);
  expectError(rate({ select: 'fastest' }), 'config.autoscale.worker.downRate.select', /max, min, disabled/);
});

test('resources and autoscale name declared roles', () => {
  expectError(withConfig({ autoscale: { wrker: { max: 3 } } }), 'config.autoscale.wrker', /unknown role 'wrker' \(did you mean 'worker'\?\)/);
  expectError(withConfig({ resources: { reviewer: { count: 3 } } }), 'config.resources.reviewer', /unknown role/);
  expectError(withConfig({ resources: { worker: { count: 0 } } }), 'config.resources.worker.count', /at least 1/);
});

test('what the scenario needs of a replica count', () => {
  // A fault on 3 workers needs at least 3 of them.
  const fault = { faults: [{ kind: 'crash', target: 'worker', count: 3, at: '1s', for: '1s' }] };
  expectError({ ...withWorker({ scale: { count: [2, 8] } }), ...fault }, 'roles.worker.scale.count', /at least 3 \(faults\[0\] hits 3 replicas/);
  expectError(withConfig({ resources: { worker: { count: 2 } } }, fault), 'config.resources.worker.count', /at least 3/);
  // An explicit topology names every agent.
  const explicit = { topology: { kind: 'explicit', edges: [['coordinator#0', 'worker#0']] } };
  expectError({ ...withWorker({ scale: { count: [2, 8] } }), ...explicit }, 'roles.worker.scale', /explicit topology/);
  // A stage that hands work on may autoscale; a role that originates traffic may not, nor a scatter–gather's target.
  assert.ok(parseScenario(JSON.stringify(withConfig({ autoscale: { coordinator: { max: 4 } } })), FILE));
  const fromWorker = { workload: [{ pattern: 'poisson', from: 'worker', to: 'coordinator', rate: '5/s' }] };
  expectError(withConfig({ autoscale: { worker: { max: 6 } } }, fromWorker), 'config.autoscale.worker', /sends workload traffic/);
  const scatter = { workload: [{ pattern: 'poisson', to: 'worker', rate: '5/s', fanout: { count: 3 } }] };
  expectError(withConfig({ autoscale: { worker: { max: 6 } } }, scatter), 'config.autoscale.worker', /scatters to 3 distinct replicas/);
});

test('bounds on a role that is only a trace’s destination', () => {
  const dir = tempDir('resources');
  const trace = path.join(dir, 'rows.csv');
  writeFileSync(trace, 'time_ms,src,dst,bytes\n0,external,worker#1,100\n');
  const doc = {
    ...withWorker({ scale: { count: [1, 8] } }),
    workload: [
      { pattern: 'poisson', to: 'coordinator', rate: '5/s' },
      { pattern: 'trace', file: trace },
    ],
  };
  expectError(doc, 'roles.worker.scale', /reached only as a destination in trace rows/);
  // Named by the trace entry, it is balanced like any role: fine.
  assert.ok(parseScenario(JSON.stringify({ ...doc, workload: [doc.workload[0], { ...doc.workload[1], to: 'worker' }] }), FILE));
});

test('meshtune simulate --config: a bad resource exits 2 with the file and the field', () => {
  const dir = tempDir('resources-cli');
  const scenario = path.join(dir, 'mesh.json');
  writeFileSync(scenario, JSON.stringify(BASE));
  const config = path.join(dir, 'bad.yaml');
  writeFileSync(config, 'autoscale:\n  worker: {min: 5, max: 9}\nresources:\n  wroker: {count: 2}\n');
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'sim/cli/main.ts', 'simulate', scenario, '--config', config], { encoding: 'utf8' });
  assert.is(r.status, 2, r.stderr);
  const lines = r.stderr.trim().split('\n');
  assert.is(lines.length, 1, r.stderr);
  assert.match(lines[0]!, /bad\.yaml:4: resources\.wroker: unknown role 'wroker' \(did you mean 'worker'\?\)/);
});

test.run();
