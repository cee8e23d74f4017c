import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { endsOf, halfWidth, nextLoad, pointEstimate } from '../../sim/plan/load-search.js';
import { countEnds, nextCount } from '../../sim/plan/role-search.js';
import type { ProbeRecord } from '../../sim/plan/prober.js';
import type { Verdict } from '../../sim/plan/types.js';

/** A probed point with only what the search reads. */
const rec = (x: number, verdict: Verdict, p99Ms = 0, seeds = 4): ProbeRecord =>
  ({ probe: { x, verdict, p99Ms, deliveryRatio: 1, replications: Array.from({ length: seeds }, () => ({})) } }) as unknown as ProbeRecord;

/** Runs the search against a truth: loads up to `limit` meet, above break, within `fuzz` stay undecided. */
function search(limit: number, precision: number, fuzz = 0): number[] {
  const records: ProbeRecord[] = [];
  for (let i = 0; i < 50; i++) {
    const next = nextLoad(records, precision);
    if ('stop' in next) break;
    const x = next.x;
    records.push(rec(x, Math.abs(x / limit - 1) < fuzz ? 'undecided' : x <= limit ? 'meets' : 'breaks'));
  }
  return records.map((r) => r.probe.x);
}

test('the search brackets from today’s load, then splits the interval until the precision is met', () => {
  // Limit at ×1.35: 1 meets, 2 breaks, then geometric midpoints.
  assert.equal(search(1.35, 0.05), [1, 2, 1.414, 1.189, 1.297]);
  const xs = search(1.35, 0.01);
  const records = xs.map((x) => rec(x, x <= 1.35 ? 'meets' : 'breaks'));
  const { low, high } = endsOf(records);
  assert.ok(low! <= 1.35 && 1.35 <= high!);
  assert.ok(halfWidth(low!, high!) <= 0.01);
  // Below today's load: halving.
  assert.equal(search(0.3, 0.05).slice(0, 3), [1, 0.5, 0.25]);
});

test('undecided loads near the limit: the search narrows from the decided ends, then stops', () => {
  const xs = search(1.35, 0.01, 0.02);
  const records = xs.map((x) => rec(x, Math.abs(x / 1.35 - 1) < 0.02 ? 'undecided' : x <= 1.35 ? 'meets' : 'breaks'));
  const { low, high } = endsOf(records);
  assert.ok(low! < 1.35 / 1.02 + 1e-9 && high! > 1.35 * 1.02 - 1e-9, `[${low}, ${high}]`);
  // It stopped because the gaps beside the undecided loads were too narrow, not by running on.
  assert.ok(xs.length < 20, `${xs.length} probes`);
  assert.equal(nextLoad(records, 0.01), { stop: 'undecided' });
});

test('the ends: highest load shown to meet below the lowest shown to break; undecided loads are neither', () => {
  const e = endsOf([rec(1, 'meets'), rec(1.5, 'undecided'), rec(2, 'breaks'), rec(3, 'meets'), rec(4, 'breaks')]);
  assert.equal(e, { low: 1, high: 2 });
  assert.equal(endsOf([rec(1, 'undecided')]), { low: null, high: null });
  assert.equal(nextLoad([rec(1, 'undecided')], 0.05), { x: 2 });
  assert.equal(nextLoad([rec(64, 'meets')], 0.05), { stop: 'never-breaks' });
});

test('the point estimate follows the monotone fit of p99, inside the interval', () => {
  const slo = { p99Ms: 100, deliveryRatio: null };
  const records = [rec(1, 'meets', 60), rec(1.2, 'meets', 90), rec(1.3, 'undecided', 110), rec(1.4, 'undecided', 105), rec(1.5, 'breaks', 130)];
  // Fit: 60, 90, 107.5, 107.5, 130; 100 is crossed between ×1.2 (90) and ×1.3 (107.5): 1.2 + 10/17.5 · 0.1.
  const x = pointEstimate(records, slo, endsOf(records))!;
  assert.ok(Math.abs(x - (1.2 + (10 / 17.5) * 0.1)) < 1e-9, String(x));
  // A noisy probe above the limit cannot drag the estimate out of [low, high].
  const odd = [rec(1, 'meets', 99), rec(1.1, 'meets', 50), rec(1.2, 'breaks', 140)];
  const y = pointEstimate(odd, slo, endsOf(odd))!;
  assert.ok(y >= 1.1 && y <= 1.2, String(y));
  assert.is(pointEstimate([rec(1, 'breaks', 200)], slo, { low: null, high: 1 }), null);
});

test('role search: the fewest replicas shown to meet, bisecting down from today’s count', () => {
  const records: ProbeRecord[] = [];
  for (;;) {
    const next = nextCount(records, 8);
    if ('stop' in next) break;
    records.push(rec(next.n, next.n >= 4 ? 'meets' : 'breaks'));
  }
  assert.equal(records.map((r) => r.probe.x), [8, 4, 2, 3]);
  assert.equal(countEnds(records), { low: 3, high: 4 });
  // Too few today: doubling up.
  assert.equal(nextCount([rec(2, 'breaks')], 2), { n: 4 });
});

test.run();
