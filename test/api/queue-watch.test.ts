/**
 * A study on a queue counts the workers serving it (the progress line), and
 * says once when none has served it for a while: it waits for one, silently
 * otherwise.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { watchWorkers } from '../../sim/api/optimize.js';

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('no worker for five looks in a row: said once; a worker seen first: never said', async () => {
  const told: number[] = [];
  let idle = 0;
  const none = watchWorkers({ connectedWorkers: async () => 0 }, (n) => told.push(n), () => idle++, 5);
  await settle(120);
  clearInterval(none);
  assert.ok(told.length >= 10 && told.every((n) => n === 0), told.join(','));
  assert.is(idle, 1, 'said once');
  // A worker at the first look, gone later: it was served; nothing to say.
  let counts = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  let quiet = 0;
  const served = watchWorkers({ connectedWorkers: async () => counts.shift() ?? 0 }, () => {}, () => quiet++, 5);
  await settle(120);
  clearInterval(served);
  assert.is(quiet, 0);
  counts = [];
});

test.run();
