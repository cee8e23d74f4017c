import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenario, parseScenario } from '../../sim/scenario/index.js';
import type { Scenario } from '../../sim/scenario/index.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/scenarios');
const fixture = (name: string) => path.join(fixtures, name);

const lognormal = (mean: number, cv: number) => ({ dist: 'lognormal' as const, mean, cv });
const zero = { dist: 'const' as const, value: 0 };

test('the SPEC §4 example loads to the normalized shape', () => {
  const s = loadScenario(fixture('llm-swarm-500.yaml'));
  const expected: Scenario = {
    name: 'llm-swarm-500',
    description: 'An LLM agent swarm: 4 coordinators fan work out to 480 workers and 16 reviewers.',
    file: fixture('llm-swarm-500.yaml'),
    duration: 120_000,
    warmup: 10_000,
    drain: 60_000,
    seed: 42,
    roles: [
      { name: 'coordinator', count: 4, workers: 8, service: lognormal(40, 1), relay: zero, tokens: null, errors: 0 },
      {
        name: 'worker',
        count: 480,
        workers: 1,
        service: lognormal(2000, 1.2),
        relay: zero,
        tokens: { in: lognormal(1500, 1), out: lognormal(300, 1) },
        errors: 0,
      },
      { name: 'reviewer', count: 16, workers: 2, service: lognormal(600, 1), relay: zero, tokens: null, errors: 0 },
    ],
    topology: { kind: 'hierarchical', fanout: 8, degree: 4, rewire: 0.1, m: 2, edges: [] },
    links: { latency: { dist: 'exp', mean: 2 }, bandwidth: 100e6, loss: 0.0005 },
    workload: [
      {
        pattern: 'poisson',
        from: 'external',
        to: 'coordinator',
        size: lognormal(4000, 2),
        reply: { size: { dist: 'const', value: 2000 } },
        then: ['worker', 'reviewer'],
        parallel: [],
        start: 0,
        stop: 120_000,
        priority: 0,
        keys: 1024,
        fanout: null,
        rate: 40,
      },
      {
        pattern: 'trace',
        from: 'external',
        to: 'worker',
        size: { dist: 'const', value: 1000 },
        reply: null,
        then: [],
        parallel: [],
        start: 0,
        stop: 120_000,
        priority: 0,
        keys: 1024,
        fanout: null,
        file: fixture('traces/sample.csv'),
        format: 'csv',
        speedup: 1,
        bytesPerToken: 4,
        classes: [],
      },
    ],
    faults: [
      { kind: 'crash', target: 'worker', count: null, fraction: 0.05, zone: null, zones: 4, at: 30_000, for: 20_000, mtbf: null, mttr: null },
      { kind: 'slow', target: 'reviewer', count: null, fraction: 0.25, zone: null, zones: 4, factor: 8, at: 60_000, for: 30_000 },
      { kind: 'partition', between: [['coordinator'], ['reviewer']], at: 90_000, for: 5_000 },
      { kind: 'loss', rate: 0.05, at: 40_000, for: 10_000 },
    ],
    slo: { p99: 8000, deliveryRatio: 0.999 },
    cost: { perMessage: 0.0000004, perGB: 0.09, perCpuHour: 0.04, perAgentHour: 0.01, perMTokenIn: 3, perMTokenOut: 15 },
    config: {},
    search: { knobs: {}, exclude: [], only: [] },
  };
  assert.equal(s, expected);
});

test('a bare name resolves in the scenarios folder, .yaml then .yml then .json', () => {
  const byName = loadScenario('llm-swarm-500', { scenariosDir: fixtures });
  assert.is(byName.name, 'llm-swarm-500');
  assert.is(byName.file, fixture('llm-swarm-500.yaml'));
  const json = loadScenario('minimal', { scenariosDir: fixtures });
  assert.is(json.file, fixture('minimal.json'));
});

test('defaults fill everything a minimal file leaves out (JSON)', () => {
  const s = loadScenario(fixture('minimal.json'));
  assert.is(s.name, 'minimal');
  assert.is(s.description, '');
  assert.is(s.duration, 30_000);
  assert.is(s.warmup, 0);
  assert.is(s.drain, 60_000);
  assert.is(s.seed, 1);
  assert.equal(s.roles, [
    { name: 'server', count: 1, workers: 2, service: { dist: 'exp', mean: 10 }, relay: zero, tokens: null, errors: 0 },
  ]);
  assert.equal(s.topology, { kind: 'full-mesh', fanout: 8, degree: 4, rewire: 0.1, m: 2, edges: [] });
  assert.equal(s.links, { latency: zero, bandwidth: Infinity, loss: 0 });
  assert.equal(s.workload, [
    {
      pattern: 'poisson',
      from: 'external',
      to: 'server',
      size: { dist: 'const', value: 1000 },
      reply: null,
      then: [],
      parallel: [],
      start: 0,
      stop: 30_000,
      priority: 0,
      keys: 1024,
      fanout: null,
      rate: 100,
    },
  ]);
  assert.equal(s.faults, []);
  assert.equal(s.slo, { p99: null, deliveryRatio: null });
  assert.equal(s.cost, { perMessage: 0, perGB: 0, perCpuHour: 0, perAgentHour: 0, perMTokenIn: 0, perMTokenOut: 0 });
  assert.equal(s.config, {});
  assert.equal(s.search, { knobs: {}, exclude: [], only: [] });
});

test('every pattern, fault kind and knob in its less common form', () => {
  const s = loadScenario(fixture('patterns.yaml'));
  assert.is(s.description, 'Every workload pattern and fault kind, in their less common forms.');
  assert.equal(
    s.roles.map((r) => r.name),
    ['front', 'back', 'store'],
  );
  assert.equal(s.roles[0]?.service, { dist: 'tokens', base: 200, perTokenIn: 0.1, perTokenOut: 20 });
  assert.equal(s.roles[1]?.relay, { dist: 'const', value: 1 });
  assert.equal(s.roles[2]?.service, { dist: 'empirical', values: [1, 2, 5] });
  assert.equal(s.topology.edges, [
    ['front#0', 'back#7'],
    ['back#0', 'store#1'],
  ]);
  assert.equal(s.links, { latency: { dist: 'uniform', min: 1, max: 3 }, bandwidth: 125e6, loss: 0 });

  const [bursty, table, sine, closed, azure, spans] = s.workload;
  assert.equal(bursty, {
    pattern: 'bursty', from: 'external', to: 'front', size: { dist: 'const', value: 1000 },
    reply: { size: { dist: 'const', value: 1000 } }, then: [], parallel: [], start: 0, stop: 600_000, priority: 7, keys: 1024,
    fanout: null, rate: 10, burstRate: 200, meanBurst: 2000, meanGap: 30_000,
  });
  // Without `rate`, a table's rate is its time-weighted mean over the window: (10 × 5m + 30 × 5m) / 10m.
  assert.ok(table?.pattern === 'diurnal' && table.rate === 20 && table.period === 600_000);
  assert.equal(table?.pattern === 'diurnal' && table.table, [{ at: 0, rate: 10 }, { at: 300_000, rate: 30 }]);
  assert.ok(sine?.pattern === 'diurnal');
  assert.equal(
    sine?.pattern === 'diurnal' && [sine.from, sine.rate, sine.amplitude, sine.period, sine.start, sine.stop, sine.table],
    ['front', 50, 0.8, 3_600_000, 60_000, 540_000, []],
  );
  assert.equal(closed?.pattern === 'closed' && [closed.clients, closed.think, closed.fanout, closed.keys], [
    32, { dist: 'exp', mean: 500 }, { count: 3, quorum: 2 }, 64,
  ]);
  assert.equal(azure?.pattern === 'trace' && [azure.file, azure.format, azure.to, azure.speedup, azure.bytesPerToken], [
    fixture('traces/azure.csv'), 'azure-llm', 'front', 2, 3,
  ]);
  // A trace whose rows name their destinations needs no `to`; absolute paths stay as they are.
  assert.equal(spans?.pattern === 'trace' && [spans.file, spans.format, spans.to], ['/data/spans.jsonl', 'jsonl', '']);

  assert.equal(s.faults, [
    { kind: 'crash', target: 'back', count: 2, fraction: null, zone: null, zones: 4, at: 0, for: Infinity, mtbf: 600_000, mttr: 30_000 },
    { kind: 'crash', target: 'back', count: null, fraction: null, zone: 1, zones: 4, at: 60_000, for: 120_000, mtbf: null, mttr: null },
    { kind: 'slow', target: 'store', count: 1, fraction: null, zone: null, zones: 4, factor: 3, at: 120_000, for: 60_000 },
    { kind: 'partition', between: [['front', 'back'], ['store']], at: 180_000, for: 10_000 },
    { kind: 'latency', factor: 5, at: 240_000, for: 30_000 },
  ]);
  assert.equal(s.slo, { p99: 2000, deliveryRatio: null });
  assert.equal(s.config, {
    routing: { balancer: 'p2c', path: 'adaptive', redundancy: 2, redundantPriority: 5 },
    buffer: { capacity: 100, policy: 'priority' },
    timeout: { perTry: 250, overall: 2000 },
    retry: { maxAttempts: 3, base: 10, cap: 1000, jitter: 'full', budget: 0.2 },
    hedge: { after: 150 },
    breaker: { failureRate: 0.5, minRequests: 20, window: 10_000, openFor: 5000, halfOpenProbes: 3 },
    outlier: { consecutiveErrors: 5, ejectFor: 30_000, maxEjected: 0.5 },
    batching: { maxSize: 16, maxBytes: 64_000, linger: 2 },
    compression: { codec: 'gzip', minBytes: 1024 },
    delivery: 'at-least-once',
    concurrency: { limit: 'aimd' },
    shedding: { queueFraction: 0.8 },
  });
  assert.equal(s.search.knobs, {
    'retry.maxAttempts': { kind: 'int', min: 1, max: 5, log: false },
    'timeout.perTry': { kind: 'float', min: 50, max: 2000, log: true },
    // A fraction stays continuous even with whole-number bounds; `int: true` asks for whole numbers.
    'retry.budget': { kind: 'float', min: 0, max: 1, log: false },
    'batching.linger': { kind: 'int', min: 0, max: 10, log: false },
    'routing.balancer': { kind: 'choice', values: ['p2c', 'least-request'] },
    'concurrency.limit': { kind: 'choice', values: [10, 'aimd', 'gradient'] },
  });
  assert.equal(s.search.exclude, ['hedge.after']);
  assert.equal(s.search.only, []);
});

test('parseScenario: name from the file, description from the top comment, overridable', () => {
  const text = [
    '',
    '# Two tiers behind a balancer.',
    '# More words that are not the description.',
    'duration: 1m',
    'roles: {api: {count: 2, service: 5ms}}',
    'workload: [{pattern: poisson, to: api, rate: 10}]',
    'topology: ring',
    '',
  ].join('\n');
  const s = parseScenario(text, 'some/dir/two-tier.yml');
  assert.is(s.name, 'two-tier');
  assert.is(s.description, 'Two tiers behind a balancer.');
  assert.is(s.file, path.resolve('some/dir/two-tier.yml'));
  assert.is(s.topology.kind, 'ring');
  assert.equal(s.roles[0]?.service, { dist: 'const', value: 5 });

  // A sentence wrapped over comment lines is read to its end, and no further.
  const wrapped = parseScenario(['# An ingest pipeline: a gateway hands each record to a parser,', '#   which writes to a store.', '# Not this.', text].join('\n'), 'w.yaml');
  assert.is(wrapped.description, 'An ingest pipeline: a gateway hands each record to a parser, which writes to a store.');
  const unfinished = parseScenario(['# Two tiers', '#', '# and a note.', text].join('\n'), 'u.yaml');
  assert.is(unfinished.description, 'Two tiers');

  const named = parseScenario(`name: custom\ndescription: said here\n${text}`, 'x.yaml');
  assert.is(named.name, 'custom');
  assert.is(named.description, 'said here');

  const inline = parseScenario('{"duration": 1000, "roles": {"a": {"count": 1, "service": 1}}, "workload": [{"pattern": "poisson", "to": "a", "rate": 1}]}', 'inline.json');
  assert.is(inline.name, 'inline');
  assert.is(inline.description, '');
  assert.is(parseScenario('duration: 1s\nroles: {a: {count: 1, service: 1}}\nworkload: [{pattern: poisson, to: a, rate: 1}]', '').name, 'scenario');
});

test('role order is declaration order; reply: true is a 1000-byte reply; quorum defaults to count', () => {
  const s = parseScenario(
    [
      'duration: 10s',
      'roles:',
      '  zeta: {count: 3, service: 1ms}',
      '  alpha: {count: 1, service: 1ms}',
      '  mid: {count: 2, service: 1ms}',
      'workload:',
      '  - {pattern: poisson, to: zeta, rate: 1/ms, reply: true, fanout: {count: 3}, then: [alpha]}',
      '  - {pattern: poisson, to: mid, rate: 1, reply: false}',
    ].join('\n'),
    'order.yaml',
  );
  assert.equal(
    s.roles.map((r) => r.name),
    ['zeta', 'alpha', 'mid'],
  );
  const [first, second] = s.workload;
  assert.equal(first?.reply, { size: { dist: 'const', value: 1000 } });
  assert.equal(first?.fanout, { count: 3, quorum: 3 });
  assert.ok(first?.pattern === 'poisson' && first.rate === 1000);
  assert.is(second?.reply, null);
});

test('parsing twice gives equal, independent objects', () => {
  const a = loadScenario(fixture('minimal.json'));
  const b = loadScenario(fixture('minimal.json'));
  assert.equal(a, b);
  a.workload[0]?.then.push('server');
  a.topology.edges.push(['server#0', 'server#0']);
  assert.equal(b.workload[0]?.then, []);
  assert.equal(b.topology.edges, []);
  assert.equal(loadScenario(fixture('minimal.json')).topology.edges, []);
});

test.run();
