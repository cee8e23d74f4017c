import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError, loadScenario, parseScenario } from '../../sim/scenario/index.js';
import { removeTemporary, tempDir } from '../helpers.js';

/** A valid scenario, one line per field so that line numbers are easy to state. */
const BASE = [
  'duration: 10s', //                                                    1
  'roles:', //                                                           2
  '  coordinator: {count: 1, service: 5ms}', //                          3
  '  worker: {count: 3, service: {dist: exp, mean: 40ms}}', //           4
  '  reviewer: {count: 2, service: 1s}', //                              5
  'workload:', //                                                        6
  '  - pattern: poisson', //                                             7
  '    to: worker', //                                                   8
  '    rate: 5/s', //                                                    9
];
const FILE = 'scenarios/broken.yaml';

function failure(text: string, file = FILE): InputError {
  try {
    parseScenario(text, file);
  } catch (err) {
    if (err instanceof InputError) return err;
    throw new Error(`expected an InputError, got ${String(err)}`);
  }
  throw new Error('expected the scenario to be rejected');
}

/** BASE with line `n` (1-based) replaced, or extra lines appended. */
const withLine = (n: number, line: string) => BASE.map((l, i) => (i === n - 1 ? line : l)).join('\n');
const plus = (...lines: string[]) => [...BASE, ...lines].join('\n');

/** One line, naming the file, the line, the field and what was expected. */
function expectError(err: InputError, line: number | null, fieldPath: string, detail: RegExp): void {
  assert.is(err.file, FILE);
  assert.is(err.path, fieldPath);
  assert.is(err.line, line);
  assert.match(err.detail, detail);
  const where = line === null ? FILE : `${FILE}:${line}`;
  assert.is(err.message, fieldPath === '' ? `${where}: ${err.detail}` : `${where}: ${fieldPath}: ${err.detail}`);
  assert.not.match(err.message, /\n/);
}

test('the base scenario is valid', () => {
  assert.is(parseScenario(BASE.join('\n'), FILE).roles.length, 3);
});

test('unknown role in to: lists the roles', () => {
  const err = failure(withLine(8, '    to: wrker'));
  expectError(err, 8, 'workload[0].to', /^unknown role 'wrker' \(did you mean 'worker'\?\); roles are: coordinator, worker, reviewer$/);
});

test('unknown roles elsewhere: from, then, fault target, partition groups', () => {
  expectError(failure(plus('    from: coord')), 10, 'workload[0].from', /unknown role 'coord'; roles are: coordinator, worker, reviewer/);
  expectError(failure(plus('    then: [reviewer, revewer]')), 10, 'workload[0].then[1]', /unknown role 'revewer'/);
  expectError(
    failure(plus('faults:', '  - {kind: crash, target: wroker, count: 1, at: 1s, for: 1s}')),
    11,
    'faults[0].target',
    /unknown role 'wroker' \(did you mean 'worker'\?\); roles are: coordinator, worker, reviewer/,
  );
  expectError(
    failure(plus('faults:', '  - {kind: partition, between: [[worker, coordinator], [auditor]], at: 1s, for: 1s}')),
    11,
    'faults[0].between[1][0]',
    /unknown role 'auditor'; roles are: coordinator, worker, reviewer/,
  );
});

test('unknown topology kind lists the kinds', () => {
  const err = failure(plus('topology:', '  kind: mesh', '  fanout: 4'));
  expectError(
    err,
    11,
    'topology.kind',
    /^unknown topology kind 'mesh'; kinds are: full-mesh, star, ring, hierarchical, small-world, scale-free, random, explicit$/,
  );
});

test('a bad duration says what a duration looks like', () => {
  expectError(failure(plus('warmup: fast')), 10, 'warmup', /^expected a duration like 250ms, 2s or 5m, got 'fast'$/);
  expectError(
    failure(withLine(4, '  worker: {count: 3, service: {dist: exp, mean: soon}}')),
    4,
    'roles.worker.service.mean',
    /^expected a duration like 250ms, 2s or 5m, got 'soon'$/,
  );
  expectError(failure(plus('drain: -5s')), 10, 'drain', /^expected at least 0ms, got -5000ms$/);
});

test('an unknown key (a typo) is an error that suggests the right key', () => {
  expectError(failure(plus('warmpu: 1s')), 10, 'warmpu', /^unknown scenario key 'warmpu' \(did you mean 'warmup'\?\); scenario keys are: name, /);
  expectError(
    failure(withLine(3, '  coordinator: {count: 1, service: 5ms, worker: 2}')),
    3,
    'roles.coordinator.worker',
    /^unknown key 'worker' \(did you mean 'workers'\?\); keys here are: count, workers, service, relay, tokens, scale, errors$/,
  );
  // A misspelt required key is reported as the typo, not as the missing key.
  expectError(failure(withLine(1, 'duraton: 10s')), 1, 'duraton', /did you mean 'duration'/);
  expectError(failure(plus('config: {retry: {maxAttempt: 3}}')), 10, 'config.retry.maxAttempt', /did you mean 'maxAttempts'/);
});

test('a negative count is out of range', () => {
  expectError(failure(withLine(4, '  worker: {count: -3, service: 1ms}')), 4, 'roles.worker.count', /^expected at least 1, got -3$/);
  expectError(failure(withLine(4, '  worker: {count: 2.5, service: 1ms}')), 4, 'roles.worker.count', /^expected a whole number, got 2.5$/);
});

test('quorum greater than count', () => {
  const err = failure(plus('    fanout: {count: 2, quorum: 3}'));
  expectError(err, 10, 'workload[0].fanout.quorum', /^expected 1 <= quorum <= count \(2\), got 3$/);
});

test('missing required duration (no line: the key is not there)', () => {
  const err = failure(BASE.slice(1).join('\n'));
  expectError(err, null, 'duration', /^required; expected a duration like 250ms, 2s or 5m$/);
});

test('bad YAML syntax gives the line', () => {
  const err = failure(plus('faults: [{kind: loss, rate: 0.1', 'slo: {}'));
  assert.is(err.file, FILE);
  assert.is(err.path, '');
  assert.ok(err.line !== null && err.line >= 10, `line ${err.line}`);
  assert.match(err.message, new RegExp(`^${FILE}:${err.line}: invalid YAML: `));
  assert.not.match(err.message, /\n/);

  const dup = failure(plus('seed: 1', 'seed: 2'));
  assert.is(dup.line, 11);
  assert.match(dup.message, /^scenarios\/broken\.yaml:11: invalid YAML: Map keys must be unique$/);
});

test('bad JSON syntax gives the line', () => {
  const err = failure('{\n  "duration": "10s",\n  "roles": {,\n}\n', 'broken.json');
  assert.is(err.file, 'broken.json');
  assert.is(err.line, 3);
  assert.match(err.message, /^broken\.json:3: invalid JSON: /);
});

test('missing file', () => {
  const dir = tempDir('scenario');
  const file = path.join(dir, 'nope.yaml');
  try {
    loadScenario(file);
    assert.unreachable('should have thrown');
  } catch (err) {
    assert.instance(err, InputError);
    assert.is((err as InputError).message, `${file}: cannot read: no such file`);
  }
  try {
    loadScenario('nope', { scenariosDir: dir });
    assert.unreachable('should have thrown');
  } catch (err) {
    assert.instance(err, InputError);
    assert.match((err as InputError).message, /^nope: cannot read: no such file/);
  }
});

test('a bare name is looked up in the repository scenarios folder by default', () => {
  const repoScenarios = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../scenarios');
  try {
    loadScenario('no-such-scenario-name');
    assert.unreachable('should have thrown');
  } catch (err) {
    assert.instance(err, InputError);
    assert.match((err as InputError).message, /^no-such-scenario-name: cannot read: no such file/);
    assert.ok((err as InputError).message.includes(repoScenarios), (err as InputError).message);
  }
});

test('errors in a loaded file name the file as given, with the line', () => {
  const dir = tempDir('scenario');
  const file = path.join(dir, 'typo.yaml');
  writeFileSync(file, withLine(8, '    to: wrker'));
  try {
    loadScenario(file);
    assert.unreachable('should have thrown');
  } catch (err) {
    assert.instance(err, InputError);
    assert.match((err as InputError).message, new RegExp(`^${file.replace(/[.\\]/g, '\\$&')}:8: workload\\[0\\]\\.to: unknown role 'wrker'`));
  }
});

test('distributions: unknown kind, bad parameters, wrong form', () => {
  expectError(
    failure(withLine(4, '  worker: {count: 3, service: {dist: gauss, mean: 1s}}')),
    4,
    'roles.worker.service.dist',
    /^unknown distribution 'gauss'; distributions are: const, exp, lognormal, pareto, weibull, uniform, empirical, tokens$/,
  );
  expectError(failure(withLine(4, '  worker: {count: 3, service: {dist: exp, mean: 0ms}}')), 4, 'roles.worker.service.mean', /^expected more than 0ms, got 0ms$/);
  expectError(failure(withLine(4, '  worker: {count: 3, service: {dist: lognormal, mean: 1s, cv: -1}}')), 4, 'roles.worker.service.cv', /^expected at least 0, got -1$/);
  expectError(failure(withLine(4, '  worker: {count: 3, service: {dist: pareto, mean: 1s, alpha: 1}}')), 4, 'roles.worker.service.alpha', /^expected more than 1, got 1$/);
  expectError(failure(withLine(4, '  worker: {count: 3, service: {dist: weibull, mean: 1s, shape: 0}}')), 4, 'roles.worker.service.shape', /^expected at least 0\.05, got 0$/);
  expectError(failure(withLine(4, '  worker: {count: 3, service: {dist: uniform, min: 2s, max: 1s}}')), 4, 'roles.worker.service.max', /^expected max >= min \(2000ms\), got 1000ms$/);
  expectError(failure(withLine(4, '  worker: {count: 3, service: {dist: empirical, values: []}}')), 4, 'roles.worker.service.values', /non-empty list/);
  expectError(failure(withLine(4, '  worker: {count: 3, service: [1, 2]}')), 4, 'roles.worker.service', /^expected a duration like 40ms or a distribution like \{dist: exp, mean: 40ms\}, got a list$/);
  expectError(failure(plus('    size: {dist: exp, mean: 4kb}')), 10, 'workload[0].size.mean', /^expected a size like 512B, 4KB or 1MB, got '4kb'$/);
});

test('workload and fault checks across fields', () => {
  expectError(failure(plus('    start: 5s', '    stop: 2s')), 11, 'workload[0].stop', /^expected start < stop, got start 5000ms and stop 2000ms$/);
  expectError(failure(plus('    start: 20s')), 10, 'workload[0].start', /expected start < stop/);
  expectError(failure(plus('warmup: 10s')), 10, 'warmup', /^expected warmup < duration \(10000ms\), got 10000ms$/);
  expectError(failure(plus('    priority: 8')), 10, 'workload[0].priority', /^expected at most 7, got 8$/);
  expectError(failure(plus('    fanout: {count: 4}')), 10, 'workload[0].fanout.count', /^expected at most 3 \(the replicas of worker\), got 4$/);
  expectError(failure(withLine(7, '  - pattern: poison')), 7, 'workload[0].pattern', /^unknown workload pattern 'poison' \(did you mean 'poisson'\?\); patterns are: poisson, bursty, diurnal, closed, trace$/);
  expectError(failure(withLine(9, '    rate: lots')), 9, 'workload[0].rate', /^expected a rate like 50\/s or 3000\/m, got 'lots'$/);
  expectError(
    failure(plus('faults:', '  - {kind: crash, target: worker, count: 1, fraction: 0.5, at: 1s, for: 1s}')),
    11,
    'faults[0].fraction',
    /^expected exactly one of count, fraction or zone, got count and fraction$/,
  );
  expectError(failure(plus('faults:', '  - {kind: crash, target: worker, count: 1, at: 1s}')), 11, 'faults[0].for', /^required \(or mtbf and mttr\)/);
  expectError(failure(plus('faults:', '  - {kind: crash, target: worker, count: 9, at: 1s, for: 1s}')), 11, 'faults[0].count', /^expected at most 3 \(the replicas of worker\), got 9$/);
  expectError(failure(plus('faults:', '  - {kind: flood, at: 1s, for: 1s}')), 11, 'faults[0].kind', /^unknown fault kind 'flood'; fault kinds are: crash, slow, partition, loss, latency$/);
  expectError(failure(plus('faults:', '  - {kind: loss, rate: 2, at: 1s, for: 1s}')), 11, 'faults[0].rate', /^expected at most 1, got 2$/);
  // A fault written past the run's end would never happen: the run would look unharmed.
  expectError(
    failure(plus('faults:', '  - {kind: crash, target: worker, count: 1, at: 10s, for: 1s}')),
    11,
    'faults[0].at',
    /^expected a start before the end of the run \(duration 10000ms\), got 10000ms: the fault would never meet the traffic$/,
  );
  expectError(failure(plus('faults:', '  - {kind: partition, between: [worker, reviewer], at: 1m, for: 1s}')), 11, 'faults[0].at', /^expected a start before the end of the run/);
  expectError(failure(plus('slo: {deliveryRatio: 1.5}')), 10, 'slo.deliveryRatio', /^expected at most 1, got 1.5$/);
});

test('topology: explicit edges name existing agents', () => {
  expectError(
    failure(plus('topology: {kind: explicit, edges: [[worker#0, reviewer#2]]}')),
    10,
    'topology.edges[0][1]',
    /^reviewer has 2 replicas \(reviewer#0 to reviewer#1\), got 'reviewer#2'$/,
  );
  expectError(failure(plus('topology: {kind: explicit, edges: [[worker#0, auditor#0]]}')), 10, 'topology.edges[0][1]', /unknown role 'auditor'; roles are: /);
  expectError(failure(plus('topology: {kind: explicit, edges: [[worker, reviewer#0]]}')), 10, 'topology.edges[0][0]', /expected an agent name like coordinator#0, got 'worker'/);
  expectError(failure(plus('topology: {kind: small-world, degree: 3}')), 10, 'topology.degree', /even/);
});

test('config: every knob is checked, with units', () => {
  expectError(failure(plus('config: {timeout: {perTry: soon}}')), 10, 'config.timeout.perTry', /^expected a duration like 250ms, 2s or 5m, got 'soon'$/);
  expectError(
    failure(plus('config:', '  routing:', '    balancer: p3c')),
    12,
    'config.routing.balancer',
    /^unknown balancer 'p3c' \(did you mean 'p2c'\?\); balancers are: random, round-robin, least-request, p2c, peak-ewma, consistent-hash$/,
  );
  expectError(failure(plus('config: {routing: {redundancy: 4}}')), 10, 'config.routing.redundancy', /^expected at most 3, got 4$/);
  expectError(failure(plus('config: {retry: {base: 2s, cap: 1s}}')), 10, 'config.retry.cap', /^expected cap >= base \(2000ms\), got 1000ms$/);
  expectError(failure(plus('config: {concurrency: {limit: lots}}')), 10, 'config.concurrency.limit', /aimd or gradient; got 'lots'$/);
  expectError(failure(plus('config: {delivery: twice}')), 10, 'config.delivery', /^unknown delivery guarantee 'twice'; delivery guarantees are: at-most-once, at-least-once, exactly-once$/);
  expectError(failure(plus('config: {breaker: {failureRate: 0}}')), 10, 'config.breaker.failureRate', /^expected more than 0, got 0$/);
});

test('search: knob paths, bounds in the knob\'s units, values checked', () => {
  expectError(failure(plus('search: {knobs: {retry.maxAtempts: {min: 1, max: 5}}}')), 10, 'search.knobs["retry.maxAtempts"]', /^unknown knob 'retry.maxAtempts' \(did you mean 'retry.maxAttempts'\?\); knobs are: /);
  expectError(failure(plus('search: {knobs: {timeout.perTry: {min: 2s, max: 50ms}}}')), 10, 'search.knobs["timeout.perTry"].max', /^expected max >= min \(2000\), got 50$/);
  expectError(failure(plus('search: {knobs: {routing.balancer: {values: [p2c, rr]}}}')), 10, 'search.knobs["routing.balancer"].values[1]', /unknown balancer 'rr'/);
  expectError(failure(plus('search: {knobs: {routing.balancer: {min: 1, max: 2}}}')), 10, 'search.knobs["routing.balancer"].min', /is a choice, not a range/);
  expectError(failure(plus('search: {exclude: [hedge.afterr]}')), 10, 'search.exclude[0]', /^unknown knob 'hedge.afterr' \(did you mean 'hedge.after'\?\)/);
});

test('top-level shape problems', () => {
  expectError(failure('- a\n- b\n'), 1, '', /^expected a mapping of fields at the top level, got a list$/);
  expectError(failure(''), null, '', /got an empty document$/);
  expectError(failure(plus('other: 1')), 10, 'other', /^unknown scenario key 'other'; scenario keys are: /);
  expectError(failure(['duration: 1s', 'roles: {}', 'workload: []'].join('\n')), 2, 'roles', /^expected at least one role/);
  expectError(failure(withLine(3, '  "co ord": {count: 1, service: 5ms}')), 3, 'roles["co ord"]', /^role names are words like worker or llm-1, got 'co ord'$/);
});

test.after(removeTemporary);

test.run();
