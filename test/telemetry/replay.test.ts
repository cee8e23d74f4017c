/**
 * The trace's own arrivals as the scenario's workload (replay.ts): requests go
 * to the entry of their path, unmatched ones by rate, each entry replayed at
 * the trace's start times through the workload trace replay.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveScenario } from '../../sim/api/inputs.js';
import { derive, Diagnostics, type Span } from '../../sim/telemetry/index.js';
import { replayScenario } from '../../sim/telemetry/replay.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'meshtune-replay-'));
const SCENARIO = path.join(tmp, 'two.yaml');
writeFileSync(SCENARIO, [
  'name: two', 'duration: 5s', 'warmup: 0s', 'seed: 1',
  'roles:', '  api: {count: 1, workers: 1, service: {dist: exp, mean: 1ms}}', '  db: {count: 1, workers: 1, service: {dist: exp, mean: 1ms}}',
  '  web: {count: 1, workers: 1, service: {dist: exp, mean: 1ms}}',
  'workload:', '  - {pattern: poisson, to: api, then: [db], rate: 30/s, size: 100}', '  - {pattern: poisson, to: api, rate: 10/s, size: 100}',
  '  - {pattern: closed, from: web, to: db, clients: 1, think: {dist: exp, mean: 1s}, size: 1}',
].join('\n'));

/** One request at `t` ms along `path` (each service calls the next, 1 ms apart). */
function request(t: number, services: string[]): Span[] {
  return services.map((service, i) => ({
    traceId: `t${t}`, spanId: `s${i}`, parentId: i === 0 ? '' : `s${i - 1}`, service, instance: '',
    startMs: t + i, endMs: t + 10, error: false, bytes: -1, where: 'x',
  }));
}

test('requests go to the entry of their path; the others by rate (smooth weighted round robin); times from the first request', () => {
  const spans = [
    ...request(1000, ['api', 'db']), ...request(1500, ['api']), ...request(1200, ['api', 'db']),
    ...request(2000, ['web']), ...request(2100, ['web']), ...request(2200, ['web']), ...request(2300, ['web']),
  ];
  const traced = derive(spans, new Diagnostics());
  const sc = resolveScenario(SCENARIO);
  const r = replayScenario(sc, traced, tmp, 1);
  assert.equal([r.requests, r.spread, r.replaced], [7, 4, 2]);
  // The warm-up (0 here) plus the trace's window: 1300 ms between the first and last of 7 requests, × 7/6.
  assert.equal([r.scenario.duration, r.scenario.warmup], [(1300 * 7) / 6, 0]);
  const warm = replayScenario({ ...sc, warmup: 400 }, traced, tmp, 1).scenario;
  assert.equal([warm.duration, warm.workload.map((w) => w.start)], [400 + (1300 * 7) / 6, [400, 900, 0]]);
  // web requests, weights 30 and 10: credits (30,10)→0, (20,20)→0, (10,30)→1, (40,0)→0.
  const [a, b, closed] = r.scenario.workload;
  assert.ok(a?.pattern === 'trace' && b?.pattern === 'trace');
  assert.equal([a.to, a.then, a.start, a.format, a.speedup], ['api', ['db'], 0, 'csv', 1]);
  assert.equal([b.to, b.then, b.start], ['api', [], 500]);
  const rows = (f: string): string[] => readFileSync(f, 'utf8').trim().split('\n');
  assert.equal(rows(a.file), ['time_ms,src,dst,bytes', '0,external,api,100', '200,external,api,100', '1000,external,api,100', '1100,external,api,100', '1300,external,api,100']);
  assert.equal(rows(b.file), ['time_ms,src,dst,bytes', '0,external,api,100', '700,external,api,100']);
  // A closed entry from a role is not an arrival process of the trace: kept as it is.
  assert.equal(closed, sc.workload[2]);
});

test('a request on the path of an entry left as it is (the closed web → db) is that entry\'s: neither replayed nor spread over the others', () => {
  const spans = [...request(1000, ['api', 'db']), ...request(1100, ['db']), ...request(1200, ['db']), ...request(1300, ['api'])];
  const r = replayScenario(resolveScenario(SCENARIO), derive(spans, new Diagnostics()), tmp, 1);
  assert.equal([r.requests, r.kept, r.spread], [4, 2, 0]);
  const [a, b, closed] = r.scenario.workload;
  const rows = (f: string): string[] => readFileSync(f, 'utf8').trim().split('\n');
  assert.ok(a?.pattern === 'trace' && b?.pattern === 'trace');
  assert.equal(rows(a.file).length - 1, 1, 'api → db: its own request only');
  assert.equal(rows(b.file).length - 1, 1, 'api: its own request only');
  assert.is(closed?.pattern, 'closed');
});

test('an entry no request reaches is dropped; a scenario with nothing to replay through runs as it is', () => {
  const traced = derive(request(1000, ['api', 'db']), new Diagnostics());
  const sc = resolveScenario(SCENARIO);
  const r = replayScenario(sc, traced, tmp, 1);
  assert.equal(r.scenario.workload.map((w) => w.pattern), ['trace', 'closed']);
  const none = replayScenario({ ...sc, workload: [sc.workload[2]!] }, traced, tmp, 1);
  assert.equal([none.replaced, none.scenario.workload.length], [0, 1]);
});

test('an entry with a parallel group takes the requests whose calls were parallel, by the one path key; a sequence of the same roles is another path', () => {
  const file = path.join(tmp, 'group.yaml');
  writeFileSync(file, [
    'name: group', 'duration: 5s', 'warmup: 0s', 'seed: 1',
    'roles:', '  api: {count: 1, workers: 1, service: {dist: exp, mean: 1ms}}', '  db: {count: 1, workers: 1, service: {dist: exp, mean: 1ms}}',
    '  web: {count: 1, workers: 1, service: {dist: exp, mean: 1ms}}',
    'workload:', '  - {pattern: poisson, to: api, then: [{parallel: [web, db]}], rate: 10/s, size: 100}', '  - {pattern: poisson, to: api, then: [db, web], rate: 30/s, size: 100}',
  ].join('\n'));
  // api calls db and web at once (overlapping nested calls), or one after the other.
  const at = (t: number, parallel: boolean): Span[] => {
    const base = { traceId: `t${t}`, instance: '', error: false, bytes: -1, where: 'x' };
    return [
      { ...base, spanId: 'a', parentId: '', service: 'api', startMs: t, endMs: t + 20 },
      { ...base, spanId: 'b', parentId: 'a', service: 'db', startMs: t + 1, endMs: t + 8 },
      { ...base, spanId: 'c', parentId: 'a', service: 'web', startMs: parallel ? t + 2 : t + 9, endMs: parallel ? t + 10 : t + 15 },
    ];
  };
  const traced = derive([...at(1000, true), ...at(1100, false), ...at(1200, true), ...at(1300, true)], new Diagnostics());
  const r = replayScenario(resolveScenario(file), traced, tmp, 1);
  assert.equal([r.requests, r.spread], [4, 0]);
  const [g, seq] = r.scenario.workload;
  assert.ok(g?.pattern === 'trace' && seq?.pattern === 'trace');
  assert.equal([g.then, g.parallel, seq.then, seq.parallel], [['web', 'db'], [{ branches: [[0, 0], [1, 1]] }], ['db', 'web'], []]);
  const rows = (f: string): string[] => readFileSync(f, 'utf8').trim().split('\n').slice(1);
  assert.equal(rows(g.file), ['0,external,api,100', '200,external,api,100', '300,external,api,100']);
  assert.equal(rows(seq.file), ['0,external,api,100']);
});

test('a hand-off join read two ways goes to the entry of its other reading, not spread by rate', () => {
  const file = path.join(tmp, 'join.yaml');
  writeFileSync(file, [
    'name: join', 'duration: 5s', 'warmup: 0s', 'seed: 1',
    'roles:', ...['api', 'cache', 'store', 'db', 'x'].map((r) => `  ${r}: {count: 1, workers: 1, service: {dist: exp, mean: 1ms}}`),
    'workload:', '  - {pattern: poisson, to: api, then: [{parallel: [[cache, store], db]}], rate: 10/s, size: 100}', '  - {pattern: poisson, to: api, then: [x], rate: 30/s, size: 100}',
  ].join('\n'));
  // Hand-offs from api to cache and db; store after cache. When db ends before store starts, store could follow the group.
  const at = (t: number, dbEnd: number): Span[] => {
    const base = { traceId: `t${t}`, instance: '', error: false, bytes: -1, where: 'x' };
    return [
      { ...base, spanId: 'a', parentId: '', service: 'api', startMs: t, endMs: t + 1 },
      { ...base, spanId: 'b', parentId: 'a', service: 'cache', startMs: t + 2, endMs: t + 3 },
      { ...base, spanId: 'c', parentId: 'a', service: 'db', startMs: t + 2, endMs: t + dbEnd },
      { ...base, spanId: 'd', parentId: 'b', service: 'store', startMs: t + 4, endMs: t + 6 },
    ];
  };
  const traced = derive([...at(1000, 5), ...at(1100, 2.5), ...at(1200, 5)], new Diagnostics());
  assert.is(traced.readings.size, 1);
  const r = replayScenario(resolveScenario(file), traced, tmp, 1);
  assert.equal([r.requests, r.spread, r.scenario.workload.length], [3, 0, 1]);
  const [g] = r.scenario.workload;
  assert.ok(g?.pattern === 'trace');
  assert.equal(readFileSync(g.file, 'utf8').trim().split('\n').slice(1), ['0,external,api,100', '100,external,api,100', '200,external,api,100']);
});

test.run();
