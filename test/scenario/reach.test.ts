import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compileScenario } from '../../sim/model/index.js';
import { runOnce } from '../../sim/runner/index.js';
import { parseScenario } from '../../sim/scenario/index.js';

// An explicit topology may be disconnected (it is taken as written), but a
// workload that must cross between roles no edge path joins is refused at
// load, naming the entry and the two roles.

const roles = [
  'roles:',
  '  api: {count: 2, service: 1ms, relay: 0.1ms}',
  '  hub: {count: 1, service: 1ms, relay: 0.1ms}',
  '  db: {count: 2, service: 1ms, relay: 0.1ms}',
  '  cache: {count: 1, service: 1ms, relay: 0.1ms}',
  '  audit: {count: 1, service: 1ms, relay: 0.1ms}',
];

function doc(edges: string, workload: string[]): string {
  return ['name: reach', 'duration: 2s', ...roles, `topology: {kind: explicit, edges: ${edges}}`, 'workload:', ...workload].join('\n');
}

function refusal(text: string): string {
  try {
    parseScenario(text, 'reach.yaml');
  } catch (err) {
    return (err as Error).message;
  }
  return 'accepted';
}

// api#0 – hub#0 – db#0, db#1 – cache#0; api#1 and audit#0 are islands.
const edges = '[[api#0, hub#0], [hub#0, db#0], [db#1, cache#0], [db#0, db#1]]';

test('islands: the entry that must cross between them is refused, with its line and the two roles', () => {
  const text = doc('[[api#0, api#1], [db#0, db#1]]', ['  - {pattern: poisson, from: api, to: db, rate: 10/s}']);
  assert.is(
    refusal(text),
    'reach.yaml:11: workload[0]: its messages go from api to db, but no api agent is joined to a db agent by topology.edges (an explicit topology is taken as written): add an edge path between them',
  );
});

test('joined through other roles, or by some of their agents only: accepted, and the run delivers', () => {
  const text = doc(edges, ['  - {pattern: poisson, from: api, to: db, then: [cache], rate: 20/s, reply: {size: 100B}}']);
  assert.is(refusal(text), 'accepted');
  const sc = parseScenario(text, 'reach.yaml');
  const m = runOnce(compileScenario(sc), sc.config, 1);
  // Requests from api#1 (an island) are lost; those from api#0 arrive through the hub.
  assert.ok(m.messages.delivered > 0 && m.messages.lost.link > 0, JSON.stringify(m.messages));
});

test('from outside, the first role is entered without a link: only the hand-offs are checked', () => {
  assert.is(refusal(doc(edges, ['  - {pattern: poisson, to: audit, rate: 10/s}'])), 'accepted');
  assert.match(refusal(doc(edges, ['  - {pattern: poisson, to: audit, then: [db], rate: 10/s}'])), /workload\[0\]: its messages go from audit to db, but/);
});

test('parallel groups: every branch from the stage before, along each branch, and on from each branch end', () => {
  const ok = doc(edges, ['  - {pattern: poisson, to: hub, then: [{parallel: [api, [db, cache]]}, db], rate: 10/s}']);
  assert.is(refusal(ok), 'accepted');
  // audit is an island: into a branch, along one, and out of one.
  assert.match(refusal(doc(edges, ['  - {pattern: poisson, to: hub, then: [{parallel: [api, audit]}], rate: 10/s}'])), /go from hub to audit/);
  assert.match(refusal(doc(edges, ['  - {pattern: poisson, to: hub, then: [{parallel: [api, [db, audit]]}], rate: 10/s}'])), /go from db to audit/);
  assert.match(refusal(doc(edges, ['  - {pattern: poisson, to: hub, then: [{parallel: [api, db]}, audit], rate: 10/s}'])), /go from api to audit/);
  // The second entry is the one named.
  assert.match(
    refusal(doc(edges, ['  - {pattern: poisson, to: hub, then: [db], rate: 10/s}', '  - {pattern: poisson, from: cache, to: audit, rate: 10/s}'])),
    /workload\[1\]: its messages go from cache to audit/,
  );
});

test('a reply goes from the last stage straight back to the sender: that crossing too', () => {
  // hub joins api#0 and db#0; cache joins db#1 only: api → db → cache works, cache → api does not.
  const split = '[[api#0, hub#0], [hub#0, db#0], [db#1, cache#0]]';
  assert.is(refusal(doc(split, ['  - {pattern: poisson, from: api, to: db, then: [cache], rate: 10/s}'])), 'accepted');
  assert.match(refusal(doc(split, ['  - {pattern: poisson, from: api, to: db, then: [cache], rate: 10/s, reply: {size: 1KB}}'])), /go from cache to api/);
});

test('generated topologies are connected by construction: not checked', () => {
  const text = doc(edges, ['  - {pattern: poisson, from: api, to: audit, rate: 10/s}']).replace(/topology: .*/, 'topology: {kind: ring}');
  assert.is(refusal(text), 'accepted');
});

test.run();
