import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadScenario } from '../../sim/scenario/index.js';
import { runStudy, type EvaluationRecord } from '../../sim/study/index.js';
import { pastRecommendations } from '../../sim/study/warm-start.js';
import { removeTemporary, tempDir } from '../helpers.js';
import { InlineRunner, fixture } from './helpers.js';

function study(dir: string, name: string, body: Record<string, unknown>): void {
  mkdirSync(path.join(dir, name), { recursive: true });
  writeFileSync(path.join(dir, name, 'study.json'), JSON.stringify({ id: name, ...body }));
}

test('past recommendations: same scenario, adopted, newest first, distinct', () => {
  const dir = tempDir('study');
  const adopt = (config: unknown) => ({ action: 'adopt', config });
  study(dir, 'old', { createdAt: '2026-01-01T00:00:00Z', scenario: { hash: 'h1' }, recommendation: adopt({ routing: { balancer: 'p2c' } }) });
  study(dir, 'new', { createdAt: '2026-02-01T00:00:00Z', scenario: { hash: 'h1' }, recommendation: adopt({ hedge: { after: 100 } }) });
  study(dir, 'dup', { createdAt: '2026-01-15T00:00:00Z', scenario: { hash: 'h1' }, recommendation: adopt({ hedge: { after: 100 } }) });
  study(dir, 'other', { createdAt: '2026-03-01T00:00:00Z', scenario: { hash: 'h2' }, recommendation: adopt({ delivery: 'exactly-once' }) });
  study(dir, 'kept', { createdAt: '2026-03-01T00:00:00Z', scenario: { hash: 'h1' }, recommendation: { action: 'keep-current', config: {} } });
  writeFileSync(path.join(dir, 'not-a-study.txt'), 'x');
  mkdirSync(path.join(dir, 'broken'));
  writeFileSync(path.join(dir, 'broken', 'study.json'), '{ cut sho');
  assert.equal(pastRecommendations(dir, 'h1'), [
    { study: 'new', config: { hedge: { after: 100 } } },
    { study: 'old', config: { routing: { balancer: 'p2c' } } },
  ]);
  assert.equal(pastRecommendations(path.join(dir, 'missing'), 'h1'), []);
});

test('auto warm-starts: it says so, and tries the earlier recommendation first', async () => {
  const sc = loadScenario(fixture('small.yaml'));
  const warm = { study: 'earlier', config: { ...sc.config, routing: { balancer: 'least-request' as const } } };
  const records: EvaluationRecord[] = [];
  const result = await runStudy(
    sc,
    { scenarioPath: sc.file, mode: 'auto', budget: 8, seed: 3, strategy: 'halving', confirmReplications: 2, warmStart: [warm] },
    new InlineRunner(),
    { onEvaluation: (rec) => records.push(rec) },
  );
  assert.ok(result.auto!.reasons.some((r) => r.includes('warm start') && r.includes('earlier')), result.auto!.reasons.join(' | '));
  // Candidate 0 is the current configuration; the warm start is candidate 1.
  const first = records.find((r) => r.phase === 'search' && r.candidate === 1);
  assert.is(first?.config.routing?.balancer, 'least-request');
});

test.after(removeTemporary);
test.run();
