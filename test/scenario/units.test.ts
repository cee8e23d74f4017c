import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseBandwidth, parseDuration, parseRate, parseSize } from '../../sim/scenario/index.js';
import type { UnitResult } from '../../sim/scenario/index.js';

const value = (r: UnitResult): number => {
  if (!r.ok) throw new Error(`expected a value, got error: ${r.error}`);
  return r.value;
};
const error = (r: UnitResult): string => {
  if (r.ok) throw new Error(`expected an error, got ${r.value}`);
  return r.error;
};

test('durations: numbers are ms; every unit converts to ms', () => {
  assert.is(value(parseDuration(250)), 250);
  assert.is(value(parseDuration('250ms')), 250);
  assert.is(value(parseDuration('2s')), 2000);
  assert.is(value(parseDuration('1.5s')), 1500);
  assert.is(value(parseDuration('1.1s')), 1100);
  assert.is(value(parseDuration('5m')), 300_000);
  assert.is(value(parseDuration('5min')), 300_000);
  assert.is(value(parseDuration('1h')), 3_600_000);
  assert.is(value(parseDuration('500us')), 0.5);
  assert.is(value(parseDuration('0s')), 0);
  assert.is(value(parseDuration(' 20 ms ')), 20);
  assert.is(value(parseDuration('.5s')), 500);
  assert.is(value(parseDuration('250')), 250);
});

test('durations: bad input says what was expected', () => {
  for (const bad of ['fast', '2 seconds', '5d', 's', '', '1.2.3s', 'ms5']) {
    const msg = error(parseDuration(bad));
    assert.ok(msg.startsWith('expected a duration like 250ms, 2s or 5m'), msg);
    assert.ok(msg.includes(`'${bad}'`), msg);
  }
  assert.match(error(parseDuration(true)), /got true$/);
  assert.match(error(parseDuration(null)), /got null/);
  assert.match(error(parseDuration({ a: 1 })), /got a mapping$/);
  assert.match(error(parseDuration(NaN)), /expected a duration/);
  assert.match(error(parseDuration(Infinity)), /expected a duration/);
});

test('sizes: decimal SI prefixes and binary ones', () => {
  assert.is(value(parseSize(512)), 512);
  assert.is(value(parseSize('512B')), 512);
  assert.is(value(parseSize('4KB')), 4000);
  assert.is(value(parseSize('4kB')), 4000);
  assert.is(value(parseSize('1MB')), 1e6);
  assert.is(value(parseSize('2GB')), 2e9);
  assert.is(value(parseSize('1.5MB')), 1.5e6);
  assert.is(value(parseSize('4KiB')), 4096);
  assert.is(value(parseSize('1MiB')), 1024 * 1024);
  assert.is(value(parseSize('2GiB')), 2 * 1024 ** 3);
  for (const bad of ['4kb', 'big', '4 bytes', 'KB', '4XB']) {
    assert.match(error(parseSize(bad)), /^expected a size like 512B, 4KB or 1MB, got '/);
  }
});

test('rates: per second, per minute, per ms, per hour', () => {
  assert.is(value(parseRate(50)), 50);
  assert.is(value(parseRate('50/s')), 50);
  assert.is(value(parseRate('3000/m')), 50);
  assert.is(value(parseRate('3000/min')), 50);
  assert.is(value(parseRate('2/ms')), 2000);
  assert.is(value(parseRate('100/h')), 100 / 3600);
  assert.is(value(parseRate('7')), 7);
  for (const bad of ['50 per second', '50/d', '/s', 'fast']) {
    assert.match(error(parseRate(bad)), /^expected a rate like 50\/s or 3000\/m, got '/);
  }
});

test('bandwidth: bytes per second, bits converted, unlimited', () => {
  assert.is(value(parseBandwidth(1000)), 1000);
  assert.is(value(parseBandwidth('100MB/s')), 1e8);
  assert.is(value(parseBandwidth('1Gbit/s')), 1.25e8);
  assert.is(value(parseBandwidth('1Gb/s')), 1.25e8);
  assert.is(value(parseBandwidth('10Gbps')), 1.25e9);
  assert.is(value(parseBandwidth('100Mbit/s')), 12.5e6);
  assert.is(value(parseBandwidth('1MiB/s')), 1024 * 1024);
  assert.is(value(parseBandwidth(Infinity)), Infinity);
  assert.is(value(parseBandwidth('unlimited')), Infinity);
  for (const bad of ['100MB', 'fast', '1Gbit']) {
    assert.match(error(parseBandwidth(bad)), /^expected a bandwidth like 100MB\/s or 1Gbit\/s, got '/);
  }
  assert.match(error(parseBandwidth(0)), /above 0, got 0/);
  assert.match(error(parseBandwidth('-5MB/s')), /above 0/);
});

test.run();
