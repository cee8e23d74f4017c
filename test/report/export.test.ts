import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { toEnvoy, toIstio } from '../../sim/report/export/index.js';
import type { MeshConfig } from '../../sim/scenario/types.js';

const target = { service: 'worker', namespace: 'swarm' };
const full: MeshConfig = {
  routing: { balancer: 'p2c' },
  timeout: { perTry: 250, overall: 2000 },
  retry: { maxAttempts: 3, base: 20, cap: 500, jitter: 'full', budget: 0.2 },
  outlier: { consecutiveErrors: 5, ejectFor: 30_000, maxEjected: 0.2 },
  buffer: { capacity: 128 },
  concurrency: { limit: 64 },
};

test('Envoy: balancer, thresholds, retry budget, outlier detection and retry policy', () => {
  const { documents, notes } = toEnvoy(full, target);
  const cluster = (documents[0] as { clusters: Array<Record<string, any>> }).clusters[0]!;
  assert.is(cluster.lb_policy, 'LEAST_REQUEST');
  assert.equal(cluster.least_request_lb_config, { choice_count: 2 });
  const th = cluster.circuit_breakers.thresholds[0];
  assert.is(th.max_pending_requests, 128);
  assert.is(th.max_requests, 64);
  assert.is(th.retry_budget.budget_percent.value, 20);
  assert.equal(cluster.outlier_detection, { consecutive_5xx: 5, base_ejection_time: '30s', max_ejection_percent: 20 });
  const route = (documents[1] as { route: Record<string, any> }).route;
  assert.is(route.timeout, '2s');
  assert.is(route.retry_policy.num_retries, 2);
  assert.is(route.retry_policy.per_try_timeout, '0.25s');
  assert.equal(route.retry_policy.retry_back_off, { base_interval: '0.02s', max_interval: '0.5s' });
  assert.equal(notes, []);
});

test('Envoy: what it cannot express is listed, never dropped silently', () => {
  const { notes } = toEnvoy({ batching: {}, delivery: 'at-least-once', routing: { balancer: 'peak-ewma', redundancy: 2 } }, target);
  for (const knob of ['batching', 'delivery', 'routing.redundancy', 'peak-ewma']) {
    assert.ok(notes.some((n) => n.includes(knob)), `a note about ${knob}: ${notes.join(' | ')}`);
  }
});

test('Istio: DestinationRule and VirtualService for the service', () => {
  const { documents, notes } = toIstio(full, target);
  const [dr, vs] = documents as Array<Record<string, any>>;
  assert.is(dr!.kind, 'DestinationRule');
  assert.is(dr!.spec.host, 'worker.swarm.svc.cluster.local');
  assert.equal(dr!.spec.trafficPolicy.loadBalancer, { simple: 'LEAST_REQUEST' });
  assert.equal(dr!.spec.trafficPolicy.connectionPool.http, { http1MaxPendingRequests: 128, http2MaxRequests: 64 });
  assert.is(dr!.spec.trafficPolicy.outlierDetection.consecutive5xxErrors, 5);
  assert.is(vs!.kind, 'VirtualService');
  assert.equal(vs!.spec.http[0].retries, {
    attempts: 2,
    retryOn: '5xx,reset,connect-failure,retriable-4xx',
    perTryTimeout: '0.25s',
  });
  assert.is(vs!.spec.http[0].timeout, '2s');
  assert.ok(notes.some((n) => n.includes('retry.budget')));
});

test('an empty configuration exports the plain defaults', () => {
  const envoy = toEnvoy({}, target);
  const cluster = (envoy.documents[0] as { clusters: Array<Record<string, unknown>> }).clusters[0]!;
  assert.is(cluster.lb_policy, 'ROUND_ROBIN');
  assert.is(cluster.circuit_breakers, undefined);
  assert.equal(envoy.notes, []);
});

test('replicas and autoscalers are named as the deployment’s business, in both exports', () => {
  const c: MeshConfig = { resources: { worker: { count: 13, workers: 4 } }, autoscale: { llm: { max: 30, target: 0.6 } } };
  for (const { notes } of [toEnvoy(c, target), toIstio(c, target)]) {
    const note = notes.find((n) => n.startsWith('resources, autoscale'));
    assert.ok(note !== undefined && note.includes('worker, llm') && note.includes('HorizontalPodAutoscaler'), notes.join(' | '));
  }
  assert.not.ok(toEnvoy(full, target).notes.some((n) => n.startsWith('resources')));
});

test.run();
