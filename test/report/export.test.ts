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

test('an empty configuration exports the plain defaults, and turns off the targets\' own defaults the model does not have', () => {
  const envoy = toEnvoy({}, target);
  const cluster = (envoy.documents[0] as { clusters: Array<Record<string, unknown>> }).clusters[0]!;
  assert.is(cluster.lb_policy, 'ROUND_ROBIN');
  assert.is(cluster.circuit_breakers, undefined);
  // Envoy would cut every request at 15 s: the model sets no deadline.
  assert.is((envoy.documents[1] as { route: Record<string, unknown> }).route.timeout, '0s');
  assert.equal(envoy.notes, ['timeout.overall not set: the route timeout is 0s, which turns off Envoy’s default of 15 s (the model sets no deadline).']);
  // Istio would retry twice: the model retries nothing.
  const istio = toIstio({}, target);
  assert.equal((istio.documents[1] as Record<string, any>).spec.http[0].retries, { attempts: 0 });
});

test('a mechanism present with settings left out exports the model\'s defaults for them, not the target\'s', () => {
  const envoy = toEnvoy({ retry: {}, outlier: {} }, target);
  const cluster = (envoy.documents[0] as { clusters: Array<Record<string, any>> }).clusters[0]!;
  assert.equal(cluster.outlier_detection, { consecutive_5xx: 5, base_ejection_time: '30s', max_ejection_percent: 10 });
  const route = (envoy.documents[1] as { route: Record<string, any> }).route;
  assert.is(route.retry_policy.num_retries, 2);
  assert.equal(route.retry_policy.retry_back_off, { base_interval: '0.025s', max_interval: '1s' });
  assert.ok(envoy.notes.some((n) => n.startsWith('retry: maxAttempts, base, cap, jitter not set; exported with the model\'s defaults')), envoy.notes.join(' | '));
  // At-least-once delivery re-sends: the model's retry policy, exported.
  const acked = toIstio({ delivery: 'at-least-once' }, target);
  assert.is((acked.documents[1] as Record<string, any>).spec.http[0].retries.attempts, 2);
  // The recommended defaults' outlier: {} survives both exports.
  const istio = toIstio({ outlier: {} }, target);
  assert.equal((istio.documents[0] as Record<string, any>).spec.trafficPolicy.outlierDetection, { consecutive5xxErrors: 5, baseEjectionTime: '30s', maxEjectionPercent: 10 });
});

test('Istio reads 0 as unset: a buffer of 0 is exported as 1, an outlier that ejects nothing is left out, each with a note', () => {
  const { documents, notes } = toIstio({ buffer: { capacity: 0 }, outlier: { maxEjected: 0 } }, target);
  const policy = (documents[0] as Record<string, any>).spec.trafficPolicy;
  assert.is(policy.connectionPool.http.http1MaxPendingRequests, 1);
  assert.is(policy.outlierDetection.maxEjectionPercent, undefined);
  assert.ok(notes.some((n) => n.startsWith('buffer.capacity 0: Istio reads 0 as unset')), notes.join(' | '));
  assert.ok(notes.some((n) => n.startsWith('outlier.maxEjected 0 ejects no replica')), notes.join(' | '));
});

test('Envoy hedges at the hedge delay: the per-try timeout is that delay, with hedging on it', () => {
  const alone = (toEnvoy({ hedge: { after: 200 } }, target).documents[1] as { route: Record<string, any> }).route;
  assert.equal([alone.retry_policy.per_try_timeout, alone.retry_policy.num_retries, alone.hedge_policy], ['0.2s', 1, { hedge_on_per_try_timeout: true }]);
  const { documents, notes } = toEnvoy({ hedge: { after: 800 }, timeout: { perTry: 1500 }, retry: { maxAttempts: 3 } }, target);
  const route = (documents[1] as { route: Record<string, any> }).route;
  assert.equal([route.retry_policy.per_try_timeout, route.retry_policy.num_retries], ['0.8s', 2]);
  assert.ok(notes.some((n) => n.includes('timeout.perTry 1500 ms has no field of its own then')), notes.join(' | '));
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
