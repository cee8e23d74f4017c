import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Breakers, type BreakerSettings } from '../../sim/policies/breaker.js';

/** The defaults of `breaker: {}` (sim/model/policies.ts). */
const S: BreakerSettings = { failureRate: 0.5, minRequests: 20, windowMs: 10_000, openForMs: 5_000, halfOpenProbes: 3 };

/** Records `n` outcomes on agent 0 at time `t`, none of them probes. */
function record(b: Breakers, outcomes: boolean[], t: number): void {
  for (const ok of outcomes) b.onResult(0, ok, false, t);
}

const fails = (n: number): boolean[] => new Array<boolean>(n).fill(false);
const oks = (n: number): boolean[] => new Array<boolean>(n).fill(true);

test('closed: no trip below minRequests, whatever the failure rate', () => {
  const b = new Breakers(2, S);
  record(b, fails(19), 0);
  assert.ok(b.allows(0, 1), '19 failures of 19 requests: still closed (minRequests 20)');
  assert.is(b.opens, 0);
  record(b, fails(1), 2);
  assert.not.ok(b.allows(0, 3), 'the 20th failure trips it');
  assert.is(b.opens, 1);
  assert.ok(b.allows(1, 3), 'breakers are per destination');
});

test('closed → open at the failure rate over the window', () => {
  // 10 successes and 10 failures: 10/20 = 0.5 ≥ failureRate on the 20th request.
  const b = new Breakers(1, S);
  record(b, oks(10), 0);
  record(b, fails(9), 0);
  assert.ok(b.allows(0, 0), '9/19 failures: below minRequests');
  record(b, fails(1), 0);
  assert.not.ok(b.allows(0, 0), '10/20 = 0.5: open');

  // 11 successes then 10 failures: 10/21 < 0.5, stays closed; the 11th failure makes 11/22.
  const c = new Breakers(1, S);
  record(c, oks(11), 0);
  record(c, fails(10), 0);
  assert.ok(c.allows(0, 0), '10/21 = 0.476 < 0.5: closed');
  record(c, fails(1), 0);
  assert.not.ok(c.allows(0, 0), '11/22 = 0.5: open');
});

test('the window is fixed: outcomes older than windowMs are forgotten', () => {
  const b = new Breakers(1, S);
  record(b, fails(15), 0);
  // 10 s later a new window starts: 15 old failures no longer count.
  record(b, fails(15), 10_000);
  assert.ok(b.allows(0, 10_001), '15 failures in the new window: below minRequests');
  record(b, fails(5), 10_002);
  assert.not.ok(b.allows(0, 10_003), '20 failures in one window: open');
});

test('open → half-open after openFor, with at most halfOpenProbes probes in flight', () => {
  const b = new Breakers(1, S);
  record(b, fails(20), 1_000);
  assert.not.ok(b.allows(0, 1_000));
  assert.not.ok(b.allows(0, 5_999), 'open for 5 s');
  assert.ok(b.allows(0, 6_000), 'half-open at openUntil');
  // Three probes may be in flight, not a fourth.
  for (let i = 0; i < 3; i++) {
    assert.ok(b.allows(0, 6_000), `probe ${i + 1} allowed`);
    assert.ok(b.onSend(0), 'a send in half-open is a probe');
  }
  assert.not.ok(b.allows(0, 6_001), 'a 4th concurrent probe is refused');
  assert.ok(b.isTripped(0));
});

test('half-open → closed after halfOpenProbes successful probes', () => {
  const b = new Breakers(1, S);
  record(b, fails(20), 0);
  assert.ok(b.allows(0, 5_000));
  for (let i = 0; i < 3; i++) b.onSend(0);
  b.onResult(0, true, true, 5_010);
  b.onResult(0, true, true, 5_020);
  assert.ok(b.isTripped(0), 'two successes of three: still half-open');
  b.onResult(0, true, true, 5_030);
  assert.not.ok(b.isTripped(0), 'three successes: closed');
  assert.not.ok(b.onSend(0), 'a send when closed is no probe');
  // Closed with fresh counts: 19 failures do not trip it again.
  record(b, fails(19), 5_040);
  assert.ok(b.allows(0, 5_041));
  assert.is(b.opens, 1);
});

test('half-open → open again on a failed probe, for another openFor', () => {
  const b = new Breakers(1, S);
  record(b, fails(20), 0);
  assert.ok(b.allows(0, 5_000));
  b.onSend(0);
  b.onSend(0);
  b.onResult(0, true, true, 5_010);
  b.onResult(0, false, true, 5_020);
  assert.is(b.opens, 2);
  assert.not.ok(b.allows(0, 5_021), 'open again');
  assert.not.ok(b.allows(0, 10_019));
  assert.ok(b.allows(0, 10_020), 'half-open openFor after the failed probe');
  // The new half-open period starts with no probe in flight.
  for (let i = 0; i < 3; i++) {
    assert.ok(b.allows(0, 10_020));
    b.onSend(0);
  }
  assert.not.ok(b.allows(0, 10_020));
});

test('results while open are ignored', () => {
  const b = new Breakers(1, S);
  record(b, fails(20), 0);
  // Late answers of calls sent before the trip.
  record(b, oks(50), 100);
  record(b, fails(50), 200);
  assert.is(b.opens, 1);
  assert.not.ok(b.allows(0, 4_999));
  assert.ok(b.allows(0, 5_000));
});

test.run();
