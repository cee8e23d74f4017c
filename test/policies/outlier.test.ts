import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { OutlierDetector, type OutlierSettings } from '../../sim/policies/outlier.js';

/** Role 0: agents 0–9 (ten replicas); role 1: agent 10 alone. */
const roleFirst = Int32Array.from([0, 10]);
const roleCount = Int32Array.from([10, 1]);
const roleOf = Int32Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);

function detector(s: Partial<OutlierSettings> = {}): OutlierDetector {
  // The defaults of `outlier: {}` (sim/model/policies.ts).
  return new OutlierDetector(11, roleFirst, roleCount, roleOf, { consecutiveErrors: 5, ejectForMs: 30_000, maxEjected: 0.1, ...s });
}

function errors(d: OutlierDetector, a: number, n: number, t: number): void {
  for (let i = 0; i < n; i++) d.onResult(a, false, t);
}

test('ejection after consecutiveErrors errors in a row, for ejectFor', () => {
  const d = detector();
  errors(d, 3, 4, 100);
  assert.not.ok(d.isEjected(3, 100), '4 errors: not yet');
  errors(d, 3, 1, 200);
  assert.ok(d.isEjected(3, 200), 'the 5th consecutive error ejects');
  assert.ok(d.isEjected(3, 30_199));
  assert.not.ok(d.isEjected(3, 30_200), 'back after 30 s');
  assert.is(d.ejections, 1);
});

test('a success resets the count of consecutive errors', () => {
  const d = detector();
  errors(d, 2, 4, 0);
  d.onResult(2, true, 1);
  errors(d, 2, 4, 2);
  assert.not.ok(d.isEjected(2, 3), '4 + success + 4: never 5 in a row');
  errors(d, 2, 1, 4);
  assert.ok(d.isEjected(2, 5));
});

test('maxEjected caps the replicas of a role ejected at once', () => {
  // 10% of 10 replicas: one at a time.
  const d = detector();
  errors(d, 0, 5, 0);
  errors(d, 1, 5, 0);
  assert.ok(d.isEjected(0, 1));
  assert.not.ok(d.isEjected(1, 1), 'a second ejection would exceed 10%');
  // Once the first is back, the next run of errors ejects the second.
  errors(d, 1, 5, 30_000);
  assert.ok(d.isEjected(1, 30_001));

  // 30% of 10: three at a time, never a fourth.
  const e = detector({ maxEjected: 0.3 });
  for (let a = 0; a < 6; a++) errors(e, a, 5, 0);
  let ejected = 0;
  for (let a = 0; a < 10; a++) if (e.isEjected(a, 1)) ejected++;
  assert.is(ejected, 3);
  assert.is(e.ejections, 3);
});

test('a role of one replica is never ejected (the panic guard)', () => {
  const d = detector({ maxEjected: 1 });
  errors(d, 10, 50, 0);
  assert.not.ok(d.isEjected(10, 1));
  assert.is(d.ejections, 0);
});

test('errors while ejected do not extend the ejection', () => {
  const d = detector();
  errors(d, 4, 5, 0);
  errors(d, 4, 20, 10_000);
  assert.not.ok(d.isEjected(4, 30_000), 'ejected until 30 s after the first ejection only');
  assert.is(d.ejections, 1);
});

test.run();
