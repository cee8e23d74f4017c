import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { runScenario } from '../../sim/runner/index.js';
import { removeTemporary, scenarioOf, tempDir } from '../helpers.js';
import { inputError } from './trace-spec.js';

// Made when this file's tests start: files run in one process, and each removes its temporaries after.
let dir = '';
test.before(() => {
  dir = tempDir('trace-classes');
});
test.after(removeTemporary);

/** A CSV trace of `n` requests to `worker`, 10 ms apart, whose class column holds classOf(i). */
function trace(name: string, n: number, classOf: (i: number) => string): string {
  const rows = ['time_ms,src,dst,bytes,class'];
  for (let i = 0; i < n; i++) rows.push(`${10 * i},external,worker,500,${classOf(i)}`);
  const file = path.join(dir, name);
  writeFileSync(file, `${rows.join('\n')}\n`);
  return file;
}

function scenario(file: string, entry: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return scenarioOf({
    duration: '5s',
    roles: { worker: { count: 2, service: '1ms' } },
    workload: [{ pattern: 'trace', file, class: 'standard', classes: ['gold', 'bronze'], ...entry }],
    ...extra,
  });
}

const cycle = (i: number) => ['gold', 'bronze', ''][i % 3]!;

test('each row is counted in the class it names; a row naming none is in the entry’s class', () => {
  const sc = scenario(trace('three.csv', 300, cycle), {}, { slo: { classes: { gold: { p99: '50ms' } } }, config: { priority: { weights: { gold: 10, bronze: 1 } } } });
  const m = runScenario(sc, { seed: 1 });
  const classes = m.classes!;
  assert.equal(Object.keys(classes), ['standard', 'gold', 'bronze'], 'the entry’s own class first, then its rows’');
  assert.is(classes['gold']!.generated, 100);
  assert.is(classes['bronze']!.generated, 100);
  assert.is(classes['standard']!.generated, 100);
  assert.is(m.messages.generated, 300);
  for (const c of Object.values(classes)) assert.is(c.delivered, c.generated);
});

test('without the class column every row is in the entry’s class, as before', () => {
  const file = path.join(dir, 'plain.csv');
  writeFileSync(file, `time_ms,src,dst,bytes\n${Array.from({ length: 50 }, (_, i) => `${10 * i},external,worker,500`).join('\n')}\n`);
  const m = runScenario(scenario(file), { seed: 1 });
  assert.is(m.classes!['standard']!.generated, 50);
  assert.is(m.classes!['gold']!.generated, 0);
});

test('bad input: a class the entry does not list, rows naming classes an entry lists none of, a class listed twice', () => {
  const silver = trace('silver.csv', 10, (i) => (i === 4 ? 'silvr' : 'gold'));
  const e1 = inputError(() => runScenario(scenario(silver), { seed: 1 }));
  assert.match(e1.message, /silver\.csv/);
  assert.match(e1.message, /row 5/);
  assert.match(e1.message, /unknown class 'silvr'/);
  assert.match(e1.message, /gold, bronze/);

  const unlisted = trace('unlisted.csv', 10, () => 'gold');
  const e2 = inputError(() => runScenario(scenario(unlisted, { classes: undefined }), { seed: 1 }));
  assert.match(e2.message, /lists no classes its rows may name; add classes: \[gold\]/);

  const e3 = inputError(() => scenario(unlisted, { classes: ['gold', 'gold'] }));
  assert.match(e3.message, /workload\[0\]\.classes\[1\]/);
  assert.match(e3.message, /listed twice/);

  const e4 = inputError(() =>
    scenarioOf({ duration: '1s', roles: { worker: { count: 1 } }, workload: [{ pattern: 'poisson', to: 'worker', rate: '1/s', classes: ['gold'] }] }),
  );
  assert.match(e4.message, /workload\[0\]\.classes/);
});

test.run();
