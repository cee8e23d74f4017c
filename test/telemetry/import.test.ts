import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { derive, Diagnostics, importTraces, readSpans, type TelemetryFormat } from '../../sim/telemetry/index.js';
import { loadScenario } from '../../sim/scenario/index.js';
import { InputError } from '../../sim/scenario/errors.js';
import { toAlibaba, toJaeger, toZipkin } from './convert.js';
import { importCommand } from '../../sim/cli/commands/import.js';
import { parsePathKey } from '../../sim/telemetry/path-key.js';

const DIR = path.join(process.cwd(), 'test', 'fixtures', 'telemetry');
const MESH = path.join(DIR, 'mesh.otlp.json');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'meshtune-import-'));
const write = (name: string, text: string): string => {
  const p = path.join(tmp, name);
  writeFileSync(p, text);
  return p;
};

/** Own times by service, sorted, from a derivation. */
function ownTimes(format: TelemetryFormat, file: string): Record<string, number[]> {
  const { spans, diag } = readSpans(format, [file]);
  const d = derive(spans, diag);
  const out: Record<string, number[]> = {};
  for (const [name, st] of d.services) out[name] = st.ownMs.map((x) => Math.round(x * 1000) / 1000).sort((a, b) => a - b);
  return out;
}

test('OTLP: own time is the span minus the union of its calls; internal spans fold into their service', () => {
  // Hand-computed from the fixture (test/fixtures/telemetry/README.md).
  assert.equal(ownTimes('otlp', MESH), {
    frontend: [3, 3, 3], // 10 − 2 − 5; 8 − 2 − 3; 10 − |[41, 48]|
    auth: [2, 2, 4],
    catalog: [3, 3, 6], // 5 − 2 (db), 3, 6
    db: [1, 2],
  });
});

test('OTLP: paths, call graph, errors, and every bad-input kind counted with file:line', () => {
  const r = importTraces('otlp', [MESH]);
  const m = r.inferred;
  assert.equal(m.traces, 4);
  // Trace 1111's frontend calls auth and catalog at once: a parallel group, a path of its own.
  assert.equal(m.paths.map((p) => [p.stages, p.traces]), [
    [['db'], 1],
    [['frontend', [['auth'], ['catalog']]], 1],
    [['frontend', 'auth', 'catalog'], 1],
    [['frontend', 'auth', 'catalog', 'db'], 1],
  ]);
  const edge = (a: string, b: string) => m.edges.find((e) => e.from === a && e.to === b);
  assert.equal(edge('frontend', 'auth')?.probability, 1);
  assert.equal(edge('catalog', 'db')?.probability, 1 / 3);
  assert.equal(m.roles.find((x) => x.name === 'catalog')?.errorRate, 1 / 3);
  assert.equal(m.roles.find((x) => x.name === 'catalog')?.ownErrorRate, 1 / 3);
  assert.equal(m.roles.find((x) => x.name === 'frontend')?.parallelShare, 1 / 3);
  assert.equal(r.diagnostics.counts, { malformed: 0, orphan: 1, skew: 1, duplicate: 1 });
  assert.match(r.diagnostics.lines().join('\n'), /mesh\.otlp\.json:241 \(span [0-9a-f]{16}: parent ffffffffffffffff\)/);
  assert.match(r.yaml, /parallel calls in 33\.3% of its calling spans/);
  assert.match(r.yaml, /then: \[\{parallel: \[auth, catalog\]\}\]/);
  assert.match(r.yaml, /errors: 0\.33333 {3}# own errors: n=3, 1 spans with status\.code 2 \(ERROR\) none of whose calls failed/);
  assert.match(r.yaml, /# Could not infer/);
});

test('OTLP one request per line: a broken line is counted with its line, the rest is read', () => {
  const r = importTraces('otlp', [path.join(DIR, 'mesh.otlp.jsonl')]);
  assert.equal(r.diagnostics.counts.malformed, 1);
  assert.equal(r.diagnostics.examples.malformed, [`${path.join(DIR, 'mesh.otlp.jsonl')}:3 (not JSON)`]);
  assert.equal(r.inferred.traces, 4);
});

test('Zipkin, Jaeger and Alibaba carry the same traces to the same own times and paths', () => {
  const { spans } = readSpans('otlp', [MESH]);
  const want = ownTimes('otlp', MESH);
  const zipkin = write('mesh.zipkin.json', toZipkin(spans));
  const jaeger = write('mesh.jaeger.json', toJaeger(spans));
  assert.equal(ownTimes('zipkin', zipkin), want);
  assert.equal(ownTimes('jaeger', jaeger), want);
  assert.equal(importTraces('jaeger', [jaeger]).inferred.roles.find((r) => r.name === 'catalog')?.errorRate, 1 / 3);
  // Alibaba records calls, not spans: the duplicated auth span becomes a second call (rpcid 0.2),
  // the orphan db span has no caller and so no row, and the entry service's span runs from its
  // first call to the end of its last, so its own time is only the gaps between its calls.
  const ali = ownTimes('alibaba', write('mesh.csv', toAlibaba(spans)));
  assert.equal(ali.auth, [2, 2, 2, 4]);
  assert.equal(ali.catalog, want.catalog);
  assert.equal(ali.db, [2]);
  assert.equal(ali.frontend, [0, 1.9, 2.5]); // [41, 48] − [41, 48]; [1, 9.9] − 2 − 5; [19.5, 27] − 2 − 3
});

test('the written YAML loads as a scenario', () => {
  const r = importTraces('otlp', [MESH]);
  const sc = loadScenario(write('imported.yaml', r.yaml));
  assert.equal(sc.roles.map((x) => x.name).sort(), ['auth', 'catalog', 'db', 'frontend']);
  assert.equal(sc.workload.map((w) => [w.to, w.then, w.parallel]), [
    ['db', [], []],
    ['frontend', ['auth', 'catalog'], [{ branches: [[0, 0], [1, 1]] }]],
    ['frontend', ['auth', 'catalog'], []],
    ['frontend', ['auth', 'catalog', 'db'], []],
  ]);
  assert.is(sc.roles.find((x) => x.name === 'catalog')!.errors, 0.33333);
  assert.is(sc.roles.find((x) => x.name === 'auth')!.errors, 0);
});

test('bad input: no usable span is one InputError naming the file and what was expected', () => {
  const cases: Array<[TelemetryFormat, string, RegExp]> = [
    ['otlp', '{"resourceSpans": [', /expected OTLP JSON/],
    ['otlp', '{"spans": []}', /no usable span; expected OTLP JSON/],
    ['zipkin', '[{"traceId": "ab", "id": "cd", "timestamp": 1}]', /no usable span; expected Zipkin v2.*localEndpoint\.serviceName/],
    ['jaeger', '{"data": [{"traceID": "ab"}]}', /no usable span; expected Jaeger JSON/],
    ['alibaba', 'time,trace\n1,2\n', /missing timestamp, traceid, rpcid, um, dm, rt/],
    ['otlp', '', /the file is empty/],
  ];
  for (const [format, text, re] of cases) {
    const file = write(`bad-${format}.json`, text);
    try {
      readSpans(format, [file]);
      assert.unreachable(`${format}: ${text}`);
    } catch (err) {
      assert.instance(err, InputError);
      assert.ok((err as InputError).message.startsWith(file), (err as Error).message);
      assert.match((err as Error).message, re);
      assert.not.match((err as Error).message, /\n/);
    }
  }
  assert.throws(() => readSpans('otlp', [path.join(tmp, 'missing.json')]), /cannot open the trace \(ENOENT\)/);
});

test('Zipkin: B3 shared ids keep the server half; a span without localEndpoint is counted, not fatal', () => {
  const spans = [
    { traceId: 'aa', id: '01', kind: 'SERVER', timestamp: 1000, duration: 10000, localEndpoint: { serviceName: 'front' } },
    { traceId: 'aa', id: '02', parentId: '01', kind: 'CLIENT', timestamp: 2000, duration: 6000, localEndpoint: { serviceName: 'front' } },
    { traceId: 'aa', id: '02', parentId: '01', kind: 'SERVER', shared: true, timestamp: 3000, duration: 4000, localEndpoint: { serviceName: 'back', ipv4: '10.0.0.2' } },
    { traceId: 'aa', id: '03', parentId: '02', name: 'kong.header_filter', timestamp: 3500 },
  ];
  const file = write('b3.zipkin.json', JSON.stringify(spans));
  const { spans: read, diag } = readSpans('zipkin', [file]);
  assert.equal(read.map((s) => [s.spanId, s.service, s.instance]), [['01', 'front', ''], ['02', 'back', '10.0.0.2']]);
  assert.equal(diag.counts.malformed, 1);
  assert.equal(diag.examples.malformed, [`${file}:#4 (localEndpoint.serviceName: expected the service name)`]);
  assert.equal(ownTimes('zipkin', file), { front: [6], back: [4] });
});

test('CLI import: the YAML to --out, a summary on stderr; a bad format, window or output path is a usage error', () => {
  const out = path.join(tmp, 'cli.yaml');
  importCommand('otlp', [MESH], { out, window: '50ms' });
  const sc = loadScenario(out);
  assert.is(sc.duration, 50); // the window, capped at what the trace covers (80 ms)
  assert.throws(() => importCommand('otel', [MESH], {}), /import: expected a format \(otlp, jaeger, zipkin, alibaba\), got 'otel'/);
  assert.throws(() => importCommand('otlp', [], {}), /expected at least one trace file/);
  assert.throws(() => importCommand('otlp', [MESH], { window: 'soon' }), /--window: expected a duration like 5m or 300s, got 'soon'/);
  assert.throws(() => importCommand('otlp', [MESH], { out: path.join(tmp, 'no', 'such', 'dir', 'x.yaml') }), /--out: cannot write/);
  for (const bad of ['0', '1.5', '-10%', '%', 'some']) {
    assert.throws(() => importCommand('otlp', [MESH], { sampleRate: bad }), /--sample-rate: expected a share in \(0, 1\], like 0\.1 or 10%/);
  }
  importCommand('otlp', [MESH], { out, sampleRate: '10%' });
  assert.match(readFileSync(out, 'utf8'), /the traces hold 10\.0% of the requests/);
});

test('Alibaba: the published header (an unnamed index column, service, rpc_id), caller-only calls, bad rows counted', () => {
  const csv = [
    ',timestamp,traceid,service,rpc_id,um,rpctype,dm,interface,rt',
    '0,1000,T1,svc,0.1,USER,http,gateway,i,12', // caller's view only: 12 ms
    '1,1001,T1,svc,0.1.1,gateway,rpc,auth,i,4',
    '2,1001,T1,svc,0.1.1,gateway,rpc,auth,i,-3', // callee's view: 3 ms, preferred
    '3,1006,T1,svc,0.1.2,gateway,mc,cache,i,1',
    '4,oops,T1,svc,0.1.3,gateway,rpc,auth,i,2',
  ].join('\n');
  const file = write('ali.csv', csv);
  const { spans, diag } = readSpans('alibaba', [file]);
  assert.equal(diag.counts.malformed, 1);
  assert.equal(diag.examples.malformed[0]?.startsWith(`${file}:6`), true);
  const d = derive(spans, diag);
  const own = (name: string) => d.services.get(name)!.ownMs.map((x) => Math.round(x * 1000) / 1000);
  assert.equal(own('auth'), [3]);
  assert.equal(own('cache'), [1]);
  assert.equal(own('gateway'), [8]); // 12 − 3 − 1
  assert.equal(own('USER'), [0]); // the entry: from its call's start to its end, all waiting
  assert.equal([...d.paths.keys()].map(parsePathKey), [['USER', 'gateway', 'auth', 'cache']]);
  // The entry service's spans are made up from its calls: counted as such, and the import says what that means.
  assert.equal([d.services.get('USER')!.madeUpSpans, d.services.get('gateway')!.madeUpSpans], [1, 0]);
  const notes = importTraces('alibaba', [file]).inferred.notInferred;
  assert.ok(notes.some((l) => l.startsWith('roles.USER: USER has no record of its own in the trace, only its calls')), notes.join('\n'));
  assert.not.ok(notes.some((l) => l.startsWith('roles.gateway:')));
});

test('Jaeger: FOLLOWS_FROM links a child; an inline process is read; a span without a process is counted', () => {
  const doc = {
    data: [
      {
        traceID: 'ab',
        spans: [
          { traceID: 'ab', spanID: '01', startTime: 1000, duration: 5000, processID: 'p1', references: [] },
          { traceID: 'ab', spanID: '02', startTime: 7000, duration: 1000, process: { serviceName: 'queue-worker', tags: [] }, references: [{ refType: 'FOLLOWS_FROM', traceID: 'ab', spanID: '01' }] },
          { traceID: 'ab', spanID: '03', startTime: 7000, duration: 1000, processID: 'p9', references: [] },
        ],
        processes: { p1: { serviceName: 'api', tags: [{ key: 'hostname', type: 'string', value: 'api-0' }] } },
      },
    ],
  };
  const { spans, diag } = readSpans('jaeger', [write('follows.jaeger.json', JSON.stringify(doc))]);
  assert.equal(spans.map((s) => [s.service, s.parentId, s.instance]), [['api', '', 'api-0'], ['queue-worker', '01', '']]);
  assert.equal(diag.counts.malformed, 1);
  const d = derive(spans, diag);
  assert.is(d.handoffGapsMs[0], 1); // the follower starts 1 ms after the api span ends
});

test('the Diagnostics keep three examples per kind', () => {
  const d = new Diagnostics();
  for (let i = 1; i <= 5; i++) d.add('orphan', `f:${i}`);
  assert.equal(d.lines(), ['5 spans whose parent never appears (treated as roots: each a request of its own, counted in the arrivals): f:1; f:2; f:3; …']);
});

test('bad input: traces with no request, or that would give a scenario the loader refuses, are refused, not written', () => {
  // Two spans, each the other's parent: no root, no request.
  const span = (id: string, parent: string) =>
    `{"traceId": "0000000000000000000000000000000a", "spanId": "${id}", "parentSpanId": "${parent}", "name": "x", "kind": 2, "startTimeUnixNano": "1700000000000000000", "endTimeUnixNano": "1700000001000000000"}`;
  const cycle = write('cycle.json', `{"resourceSpans": [{"resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "api"}}]}, "scopeSpans": [{"spans": [${span('00000000000000a1', '00000000000000a2')}, ${span('00000000000000a2', '00000000000000a1')}]}]}]}`);
  assert.throws(() => importTraces('otlp', [cycle]), (err: Error) => err instanceof InputError && /^\S*cycle\.json: no request among the 2 spans read/.test(err.message));
  // The fixture's times written in milliseconds where nanoseconds belong: a
  // window of microseconds, rates past what a scenario may hold.
  const text = readFileSync(MESH, 'utf8').replace(/"(start|end)TimeUnixNano": ?"(\d+)"/g, (_m, k: string, v: string) => `"${k}TimeUnixNano": "${(BigInt(v) / 1_000_000n).toString()}"`);
  const ms = write('ms-times.json', text);
  assert.throws(
    () => importTraces('otlp', [ms]),
    (err: Error) => err instanceof InputError && /ms-times\.json: the traces give a scenario meshtune cannot run \(.*\); every request starts before 1973/.test(err.message) && !err.message.includes('\n'),
  );
});

test('OTLP: times written as numbers with an exponent read as the numbers they are', () => {
  const text = readFileSync(MESH, 'utf8').replace(/"(start|end)TimeUnixNano": ?"(\d+)"/g, (_m, k: string, v: string) => `"${k}TimeUnixNano": ${Number(v).toExponential(16)}`);
  assert.match(text, /TimeUnixNano": \d\.\d+e\+18/);
  const file = write('exp-times.json', text);
  const want = ownTimes('otlp', MESH);
  const got = ownTimes('otlp', file);
  assert.equal(Object.keys(got).sort(), Object.keys(want).sort());
  // A double holds 1.7e18 ns to 256 ns: own times agree within a microsecond.
  for (const [name, times] of Object.entries(want)) {
    times.forEach((t, i) => assert.ok(Math.abs(got[name]![i]! - t) < 1e-3, `${name}[${i}]: ${got[name]![i]} against ${t}`));
  }
});

test('a span that is its own parent is said to be, by its id', () => {
  const doc = `{"resourceSpans": [{"resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "api"}}]}, "scopeSpans": [{"spans": [
    {"traceId": "0000000000000000000000000000000b", "spanId": "00000000000000a1", "parentSpanId": "00000000000000a1", "name": "x", "kind": 2, "startTimeUnixNano": "1700000000000000000", "endTimeUnixNano": "1700000001000000000"}]}]}]}`;
  const { diagnostics } = importTraces('otlp', [write('self.json', doc)]);
  assert.match(diagnostics.lines().join('\n'), /1 spans? whose parent never appears .*\(span 00000000000000a1 is its own parent\)/);
});

test('Alibaba: a call under a millisecond (rt 0 in both records, or −0 in the callee\'s) is one call, not a caller\'s duplicate', () => {
  const csv = [
    'timestamp,traceid,rpcid,um,rpctype,dm,interface,rt',
    '1000,T1,0.1,USER,http,gateway,i,5',
    '1001,T1,0.1.1,gateway,rpc,cache,i,0',
    '1001,T1,0.1.1,gateway,rpc,cache,i,0',
    '1002,T1,0.1.2,gateway,rpc,cache,i,0',
    '1002,T1,0.1.2,gateway,rpc,cache,i,-0',
    // The callee's 0 first, then the caller's 1.
    '1003,T1,0.1.3,gateway,rpc,cache,i,0',
    '1003,T1,0.1.3,gateway,rpc,cache,i,1',
  ].join('\n');
  const { spans, diag } = readSpans('alibaba', [write('ali-zero.csv', csv)]);
  assert.is(diag.counts.duplicate, 0, diag.lines().join('\n'));
  assert.is(spans.filter((s) => s.service === 'cache').length, 3);
});

test('Alibaba: times to the millisecond — a stage that seems to start before the group it follows ends, by less than one, still follows it', () => {
  // 200 requests: gateway hands off to search and ads together, and render
  // follows the group (hanging from search, which ends last). Rounded to the
  // millisecond, render's start reads 1 ms before search's end in a third of
  // them; read exactly, those would make a second path, render inside search's branch.
  const rows = ['timestamp,traceid,rpcid,um,rpctype,dm,interface,rt'];
  for (let i = 0; i < 200; i++) {
    const t = 1000 + i * 50;
    const early = i % 3 === 0 ? 1 : 0;
    rows.push(`${t},T${i},0.1,USER,http,gateway,i,-4`, `${t},T${i},0.1,USER,http,gateway,i,5`);
    rows.push(`${t + 4},T${i},0.1.1,gateway,rpc,search,i,-11`, `${t + 4},T${i},0.1.1,gateway,rpc,search,i,12`);
    rows.push(`${t + 4},T${i},0.1.2,gateway,rpc,ads,i,-8`, `${t + 4},T${i},0.1.2,gateway,rpc,ads,i,9`);
    rows.push(`${t + 15 - early},T${i},0.1.1.1,search,rpc,render,i,-3`, `${t + 15 - early},T${i},0.1.1.1,search,rpc,render,i,4`);
  }
  const m = importTraces('alibaba', [write('ali-ms.csv', rows.join('\n'))]).inferred;
  assert.equal(
    m.paths.map((p) => [p.traces, p.stages]),
    [[200, ['USER', 'gateway', [['ads'], ['search']], 'render']]],
  );
});

test.run();
