import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli, SOURCE_CLI, writeIn } from './cli-process.js';

const dir = mkdtempSync(path.join(tmpdir(), 'meshtune-cli-'));
const meshtune = (...args: string[]) => runCli(SOURCE_CLI, ...args);
const file = (name: string, text: string) => writeIn(dir, name, text);

const GOOD = `duration: 2s
roles:
  coordinator: {count: 2, service: {dist: exp, mean: 2ms}}
  worker: {count: 4, service: {dist: exp, mean: 5ms}}
workload:
  - {pattern: poisson, to: coordinator, then: [worker], rate: 100/s}
`;

/** Exit 2, one line on stderr naming the file and the field, no stack trace. */
function assertInputError(r: ReturnType<typeof meshtune>, name: string, field: string, expected: RegExp): void {
  assert.is(r.code, 2, `exit code; stderr: ${r.stderr}`);
  const lines = r.stderr.trim().split('\n');
  assert.is(lines.length, 1, `one line, got: ${r.stderr}`);
  assert.ok(lines[0]!.includes(name), `names the file: ${lines[0]}`);
  assert.ok(lines[0]!.includes(field), `names the field ${field}: ${lines[0]}`);
  assert.match(lines[0]!, expected);
  assert.not.match(r.stderr, /\n\s+at /, 'no stack trace');
  assert.is(r.stdout, '', 'nothing on stdout');
}

test('a good scenario simulates (exit 0)', () => {
  const r = meshtune('simulate', file('good.yaml', GOOD), '--json');
  assert.is(r.code, 0, r.stderr);
  const m = JSON.parse(r.stdout);
  assert.ok(m.messages.generated > 100);
});

test('priority classes end to end: per-class metrics in --json (bad weights: test/scenario/classes.test.ts)', () => {
  const classes = `${GOOD.replace('rate: 100/s}', 'rate: 100/s, class: gold}')}  - {pattern: poisson, to: worker, rate: 50/s, class: bronze}\n`;
  const r = meshtune('simulate', file('classes.yaml', classes), '--config', file('weights.json', '{"priority": {"weights": {"gold": 3}}}'), '--json');
  assert.is(r.code, 0, r.stderr);
  const m = JSON.parse(r.stdout);
  assert.equal(Object.keys(m.classes), ['gold', 'bronze']);
  assert.is(m.classes.gold.generated + m.classes.bronze.generated, m.messages.generated);
});

test('unknown role in `then` lists the roles', () => {
  const r = meshtune('simulate', file('role.yaml', GOOD.replace('then: [worker]', 'then: [wrker]')));
  assertInputError(r, 'role.yaml', 'workload[0].then[0]', /unknown role 'wrker'.*coordinator, worker/);
});

test('unknown topology kind lists the kinds', () => {
  const r = meshtune('simulate', file('topo.yaml', `${GOOD}topology: {kind: mesh}\n`));
  assertInputError(r, 'topo.yaml', 'topology.kind', /full-mesh.*scale-free/);
});

test('a bad duration says what a duration looks like', () => {
  const r = meshtune('simulate', file('dur.yaml', GOOD.replace('duration: 2s', 'duration: soon')));
  assertInputError(r, 'dur.yaml', 'duration', /duration/);
});

test('a misspelt key is not ignored', () => {
  const r = meshtune('simulate', file('key.yaml', GOOD.replace('duration: 2s', 'duration: 2s\nwarmpu: 1s')));
  assertInputError(r, 'key.yaml', 'warmpu', /warmup/);
});

test('a negative count is refused', () => {
  const r = meshtune('simulate', file('count.yaml', GOOD.replace('count: 4', 'count: -4')));
  assertInputError(r, 'count.yaml', 'roles.worker.count', /1/);
});

test('broken YAML names the line', () => {
  const r = meshtune('simulate', file('syntax.yaml', GOOD.replace('roles:', 'roles: [')));
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, /syntax\.yaml:\d+/);
  assert.not.match(r.stderr, /\n\s+at /);
});

test('a missing scenario file is bad input', () => {
  const r = meshtune('simulate', path.join(dir, 'nope.yaml'));
  assert.is(r.code, 2);
  assert.match(r.stderr, /nope\.yaml/);
});

test('a bad --config file names its field', () => {
  const cfg = file('cfg.json', JSON.stringify({ retry: { jitter: 'sometimes' } }));
  const r = meshtune('simulate', file('ok.yaml', GOOD), '--config', cfg);
  assertInputError(r, 'cfg.json', 'retry.jitter', /none, full, equal, decorrelated|decorrelated/);
});

test('bad flags and commands exit 2', () => {
  assert.is(meshtune('simulate', file('ok2.yaml', GOOD), '--seed', 'abc').code, 2);
  assert.is(meshtune('simulate', file('ok3.yaml', GOOD), '--frobnicate').code, 2);
  assert.is(meshtune('frobnicate').code, 2);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
