/**
 * What `simulate` says on stderr while it works: a large mesh's build, which
 * runs in one piece for seconds, is announced before it starts and timed
 * after; a small one's is not.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { removeTemporary, tempDir } from '../helpers.js';
import { COMPILED_CLI, runCli, writeIn } from './cli-process.js';

// Made in `before`: other test files remove every temporary folder when they finish.
let dir = '';
test.before(() => {
  dir = tempDir('cli-progress');
});
test.after(removeTemporary);
// Build first, so that no test's stderr carries the build's note.
runCli(COMPILED_CLI, '--version');

const mesh = (agents: number) => `duration: 100ms
seed: 1
roles:
  node: {count: ${agents}, service: {dist: const, value: 1ms}}
topology: {kind: ring}
workload:
  - {pattern: poisson, from: node, to: node, rate: 100/s}
`;

test('a mesh of 20,000 agents or more: its build announced, then timed, with how routes are found', () => {
  const r = runCli(COMPILED_CLI, 'simulate', writeIn(dir, 'large.yaml', mesh(20_000)));
  assert.is(r.code, 0, r.stderr);
  const lines = r.stderr.trimEnd().split('\n');
  assert.match(lines[0]!, /^meshtune: simulate .*large\.yaml: building the topology and routes of 20,000 agents…$/);
  assert.match(lines[1]!, /^meshtune: simulate .*large\.yaml: built in \d+\.\d s; routes by arithmetic$/);
});

test('a smaller mesh: nothing said', () => {
  const r = runCli(COMPILED_CLI, 'simulate', writeIn(dir, 'small.yaml', mesh(19_999)));
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stderr, '');
});

test.run();
