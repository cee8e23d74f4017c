import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { listRanges } from '../../sim/scenario/ranges.js';
import { allRangeRows, withRangesSection } from '../../sim/scenario/spec-table.js';
import { InputError, parseScenario } from '../../sim/scenario/index.js';
import { num } from '../../sim/scenario/fields.js';
import { MAX_TEXT_BYTES } from '../../sim/scenario/text.js';
import { unrepresentable } from '../../sim/engine/distributions.js';

const BASE = {
  duration: '2s',
  roles: { w: { count: 2, service: { dist: 'exp', mean: '5ms' } } },
  workload: [{ pattern: 'poisson', to: 'w', rate: 100 }],
};

function rejects(doc: Record<string, unknown>, field: string, detail: RegExp): void {
  try {
    parseScenario(JSON.stringify(doc), 'absurd.json');
  } catch (err) {
    assert.instance(err, InputError);
    const e = err as InputError;
    assert.is(e.path, field, e.message);
    assert.match(e.detail, detail);
    return;
  }
  assert.unreachable(`accepted ${JSON.stringify(doc)}`);
}

test('every numeric field of a scenario and a configuration has a finite range', () => {
  const rows = allRangeRows();
  const all = [...rows.scenario, ...rows.config, ...Object.values(rows.distributions).flat()];
  assert.ok(all.length > 100, `${all.length} rows`);
  for (const r of all) assert.not.match(r.takes, /UNBOUNDED|Infinity|NaN/, `${r.path}: ${r.takes}`);
});

test('a number built without the field builders is caught as unbounded', () => {
  const rows = listRanges(z.strictObject({ good: num({ min: 0, max: 3 }), bad: z.number() }));
  assert.equal(rows, [
    { path: 'good', takes: '[0, 3]' },
    { path: 'bad', takes: 'UNBOUNDED' },
  ]);
});

test('docs/SPEC.md lists the ranges the schemas enforce (node --import tsx scripts/spec-ranges.ts)', () => {
  const spec = readFileSync(new URL('../../docs/SPEC.md', import.meta.url), 'utf8');
  assert.is(withRangesSection(spec), spec, 'docs/SPEC.md §4.1 is out of date: run node --import tsx scripts/spec-ranges.ts');
});

test('absurd numbers from the field are refused at load, naming the field', () => {
  const roles = (service: unknown, extra: Record<string, unknown> = {}) => ({ ...BASE, roles: { w: { count: 2, service, ...extra } } });
  rejects(roles({ dist: 'weibull', mean: 5, shape: 0.001 }), 'roles.w.service.shape', /at least 0\.05/);
  rejects(roles({ dist: 'lognormal', mean: 5, cv: 1e200 }), 'roles.w.service.cv', /at most 100/);
  rejects({ ...BASE, cost: { perMTokenIn: 1e300 } }, 'cost.perMTokenIn', /at most 1000000000000, got/);
  rejects({ ...BASE, drain: 1e300 }, 'drain', /at most 10000000000ms/);
  rejects(roles(5, { workers: 1e9 }), 'roles.w.workers', /at most 100000/);
  rejects({ ...BASE, duration: '1000000000000000s' }, 'duration', /at most/);
  rejects({ ...BASE, seed: 2 ** 40 }, 'seed', /at most 4294967295/);
  rejects({ ...BASE, workload: [{ pattern: 'poisson', to: 'w', rate: 1e12 }] }, 'workload[0].rate', /at most 1000000000\/s/);
});

test('distributions whose mean or variance overflow a double are recognised (the loader backstop)', () => {
  assert.match(unrepresentable({ dist: 'weibull', mean: 5, shape: 0.001 }) ?? '', /variance/);
  assert.match(unrepresentable({ dist: 'lognormal', mean: 5, cv: 1e200 }) ?? '', /variance/);
  assert.match(unrepresentable({ dist: 'exp', mean: Infinity }) ?? '', /mean/);
  assert.is(unrepresentable({ dist: 'pareto', mean: 5, alpha: 1.5 }), null, 'an infinite variance of a heavy tail is the distribution, not an overflow');
  assert.is(unrepresentable({ dist: 'weibull', mean: 1e10, shape: 0.05 }), null, 'the extremes of the ranges are representable');
  assert.is(unrepresentable({ dist: 'lognormal', mean: 1e12, cv: 100 }), null);
});

test('an explicit self-loop is refused at load, naming the edge', () => {
  rejects({ ...BASE, topology: { kind: 'explicit', edges: [['w#0', 'w#0'], ['w#0', 'w#1']] } }, 'topology.edges[0]', /self-loop on 'w#0'/);
});

test('a scenario text over the size limit is refused at once, with what to do instead', () => {
  const text = JSON.stringify({ ...BASE, description: 'x'.repeat(MAX_TEXT_BYTES) });
  const t0 = performance.now();
  try {
    parseScenario(text, 'huge.json');
    assert.unreachable('accepted');
  } catch (err) {
    assert.instance(err, InputError);
    assert.match((err as InputError).message, /^huge\.json: the file is 4 MB, over the 4 MB limit.*trace file/);
  }
  assert.ok(performance.now() - t0 < 1000, 'refused without parsing');
});

test('error messages quote user strings on one line: newlines and escape bytes escaped, long text cut', () => {
  const name = `wo\nrker\u001b[31m${'x'.repeat(10_000)}`;
  try {
    parseScenario(JSON.stringify({ ...BASE, workload: [{ pattern: 'poisson', to: name, rate: 5 }] }), 'q.json');
    assert.unreachable('accepted');
  } catch (err) {
    const msg = (err as InputError).message;
    assert.not.match(msg, /[\n\u001b]/);
    assert.match(msg, /unknown role 'wo\\nrker\\u001b\[31mx+\.\.\.'/);
    assert.ok(msg.length < 300, `${msg.length} characters`);
  }
});

test.run();
