import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { plan } from '../../sim/plan/index.js';
import { scenarioOf } from '../helpers.js';

// A plan of a configuration that sets a role's replicas (config.resources):
// the role search starts from the configuration's count, and each probed
// count replaces it.

test('plan --role starts from config.resources and its probed counts take effect', async () => {
  const sc = scenarioOf({
    duration: '60s',
    warmup: '5s',
    roles: { server: { count: 8, workers: 1, service: { dist: 'exp', mean: '100ms' } } },
    workload: [{ pattern: 'poisson', to: 'server', rate: '25/s' }],
    slo: { p99: '1500ms' },
    config: { routing: { balancer: 'least-request' }, resources: { server: { count: 3, workers: 2 } } },
  });
  const r = await plan(sc, { role: 'server', effort: { budgetRuns: 80 } });
  const first = r.probes.find((p) => p.x === 3);
  assert.ok(first !== undefined, `the search starts at the configured 3: ${r.probes.map((p) => p.x).join(', ')}`);
  // Offered work is 2.5 busy slots; with 2 slots per replica the utilisation is 1.25 / n (one replica saturates).
  assert.ok(r.probes.some((p) => p.x !== 3 && p.x >= 2), 'other counts were probed');
  for (const p of r.probes.filter((q) => q.x >= 2)) assert.ok(Math.abs(p.utilization['server']! - 1.25 / p.x) < 0.08 * (1.25 / p.x) + 0.02, `${p.x} replicas: ${p.utilization['server']}`);
  assert.ok(r.answer !== null && r.answer >= 2);
});

test.run();
