import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Timeline, bucketFor, spreadSpan } from '../../sim/metrics/timeline.js';

test('busy time is split over the intervals a service spans', () => {
  const t = new Timeline(100, 1000, 2);
  t.span.set([150, 420]);
  t.addBusy(1); // 50 ms in bucket 1, 100 in 2, 100 in 3, 20 in 4
  assert.equal(Array.from(t.busyMs.subarray(10, 15)), [0, 50, 100, 100, 20]);
  assert.equal(Array.from(t.busyMs.subarray(0, 10)), new Array(10).fill(0));
  t.span.set([930, 1200]);
  t.addBusy(0); // past the span: the rest lands in the last bucket
  assert.is(t.busyMs[9], 270);
});

test('spreadSpan: within one bucket, ending on an edge, starting past the end, weighted', () => {
  const cells = new Float64Array(8);
  spreadSpan(cells, 0, 100, 4, 120, 180); // all in bucket 1
  assert.equal(Array.from(cells.subarray(0, 4)), [0, 60, 0, 0]);
  spreadSpan(cells, 4, 100, 4, 50, 200, 2); // ends on an edge: bucket 2 gets 0
  assert.equal(Array.from(cells.subarray(4, 8)), [100, 200, 0, 0]);
  spreadSpan(cells, 0, 100, 4, 450, 470); // past the last bucket: it lands there
  assert.is(cells[3], 20);
  assert.equal(Array.from(cells.subarray(0, 3)), [0, 60, 0], 'nothing else moved');
});

test('bucket widths are 1, 2 or 5 × 10^k ms, about 120 of them', () => {
  assert.is(bucketFor(60_000), 500);
  assert.is(bucketFor(120_000), 1000);
  assert.is(bucketFor(1000), 10);
});

test.run();
