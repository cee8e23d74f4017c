import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sloStatus } from '../../sim/report/format.js';

const slo = { p99: 300, deliveryRatio: 0.999, classes: { gold: { p99: 100, deliveryRatio: null } } };

test('met on every seed: the plain status', () => {
  const o = { p99: 220, deliveryRatio: 1, worstP99: 231, worstDeliveryRatio: 0.9995, classes: { gold: { p99: 80, deliveryRatio: 1, worstP99: 95 } } };
  assert.is(sloStatus(o, slo), 'delivery 100% meets the 99.900% SLO; p99 220 ms meets the 300 ms SLO; gold p99 80 ms meets the 100 ms SLO');
});

test('met on the mean but not on the worst seed: said, with that seed’s figure', () => {
  const o = { p99: 290, deliveryRatio: 0.9992, worstP99: 340, worstDeliveryRatio: 0.998, classes: { gold: { p99: 90, deliveryRatio: 1, worstP99: 120 } } };
  assert.is(
    sloStatus(o, slo),
    'delivery 99.920% meets the 99.900% SLO on the mean (the worst seed: 99.800%); p99 290 ms meets the 300 ms SLO on the mean (the worst seed: 340 ms); gold p99 90 ms meets the 100 ms SLO on the mean (the worst seed: 120 ms)',
  );
});

test('missed on the mean: the worst seed adds nothing; one run alone has no worst seed', () => {
  assert.is(sloStatus({ p99: 310, deliveryRatio: 0.99, worstP99: 400, worstDeliveryRatio: 0.98 }, { p99: 300, deliveryRatio: 0.999 }), 'delivery 99.000% misses the 99.900% SLO; p99 310 ms misses the 300 ms SLO');
  assert.is(sloStatus({ p99: 290, deliveryRatio: 1 }, { p99: 300, deliveryRatio: null }), 'p99 290 ms meets the 300 ms SLO');
});

test('met on the mean but not beyond the seeds\' noise: not shown to meet it, with the end of its interval', () => {
  const o = { p99: 149, deliveryRatio: 0.9995, worstP99: 151, worstDeliveryRatio: 0.9985, classes: { gold: { p99: 80, deliveryRatio: 1 } } };
  const shown = { p99: 151.2, deliveryRatio: 0.9991, classes: { gold: { p99: 104, deliveryRatio: 1 } } };
  assert.is(
    sloStatus(o, { p99: 150, deliveryRatio: 0.999, classes: { gold: { p99: 100, deliveryRatio: null } } }, shown),
    'delivery 99.950% meets the 99.900% SLO on the mean (the worst seed: 99.850%); ' +
      'p99 149 ms meets the 150 ms SLO on the mean only, within the noise of the seeds (its 95% interval reaches 151 ms): not shown to meet it; ' +
      'gold p99 80 ms meets the 100 ms SLO on the mean only, within the noise of the seeds (its 95% interval reaches 104 ms): not shown to meet it',
  );
});

test.run();
