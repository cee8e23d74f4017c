import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';

// `meshtune plan` end to end: worker threads, the JSON document, bad input.

const CLI = ['--import', 'tsx', 'sim/cli/main.ts'];
const SLOW = 'test/fixtures/plan/slow-replica.yaml';

function meshtune(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [...CLI, ...args], { encoding: 'utf8', cwd: process.cwd() });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('plan --json on worker threads: answer, interval, probes with their seeds, bottleneck, levers', () => {
  const r = meshtune('plan', SLOW, '--json', '--workers', '2');
  assert.is(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as {
    scenario: string;
    answer: number;
    interval: [number, number];
    runs: number;
    judgedOn: string;
    probes: Array<{ x: number; verdict: string; p99Ms: number; p99Ci: [number, number]; replications: Array<{ seed: number; p99Ms: number }> }>;
    bottleneck: { kind: string; culprit: { replica: string; fault: { kind: string } } };
    levers: Array<{ kind: string; probe: { p99Ms: number; verdict: string } }>;
    recommendation: { lever: number; kind: string };
  };
  assert.is(doc.scenario, 'slow-replica');
  assert.ok(doc.interval[0] < doc.answer && doc.answer < doc.interval[1], JSON.stringify(doc.interval));
  assert.is(doc.judgedOn, 'pooled');
  assert.ok(doc.probes.length >= 4);
  const first = doc.probes.find((p) => p.x === 1)!;
  assert.equal(first.replications.map((s) => s.seed).slice(0, 4), [7, 8, 9, 10], 'replication r on seed + r');
  assert.is(doc.runs, doc.probes.reduce((s, p) => s + p.replications.length, 0) + doc.levers.reduce((s, l) => s + (l.probe as unknown as { replications: unknown[] }).replications.length, 0));
  assert.is(doc.bottleneck.kind, 'replica');
  assert.is(doc.bottleneck.culprit.fault.kind, 'slow');
  assert.ok(doc.levers.length >= 4 && doc.levers.every((l) => typeof l.probe.p99Ms === 'number'));
  assert.is(doc.levers[doc.recommendation.lever]!.probe.verdict, 'meets');
  // Progress went to stderr, one line per probe.
  assert.match(r.stderr, /probe load × 1: p99 .* seeds — breaks/);
});

test('bad plan flags exit 2 with one line naming the flag', () => {
  for (const [flag, value, said] of [
    ['--precision', '0', /--precision: expected a relative half-width/],
    ['--replications', '1', /--replications: expected a whole number from 2 to 1000, got '1'/],
    ['--slo-p99', '-3s', /--slo-p99: expected a latency bound more than 0 ms \(like 300ms or 2s\), got '-3s'/],
    ['--slo-p99', '0', /--slo-p99: expected a latency bound more than 0 ms/],
  ] as const) {
    const r = meshtune('plan', SLOW, flag, value, '--workers', '1');
    assert.is(r.code, 2, `${flag} ${value}: ${r.stderr}`);
    assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, said);
    assert.is(r.stdout, '');
  }
});

test.run();
