/**
 * links.latency from hand-off gaps (SPEC §11.2): a gap is the network's time
 * plus any wait at the callee; the hand-offs that queued there (their start
 * meets another span's end on the callee replica) are left out, so that the
 * model's own queue at the callee is not counted twice.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { recordAndImport } from './record-import.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'meshtune-link-'));

/** What the import infers from a run where api hands each message to db (`dbReplicas` of 2 workers) over 2 ms links. */
function traced(name: string, dbReplicas: number) {
  const file = path.join(tmp, `${name}.yaml`);
  writeFileSync(
    file,
    [
      `name: ${name}`,
      'duration: 20s',
      'warmup: 1s',
      'seed: 7',
      'roles:',
      '  api: {count: 2, workers: 8, service: {dist: exp, mean: 1ms}}',
      `  db: {count: ${dbReplicas}, workers: 2, service: {dist: exp, mean: 10ms}}`,
      'links: {latency: {dist: lognormal, mean: 2ms, cv: 0.3}}',
      'workload:',
      '  - {pattern: poisson, to: api, then: [db], rate: 300/s}',
    ].join('\n'),
  );
  return recordAndImport(file, 'link').imported.inferred;
}

test('a busy callee: the queued hand-offs are left out and the link latency is the network’s', () => {
  // db at 300/s × 10 ms over 2 replicas × 2 workers: 75% busy, many messages wait.
  const m = traced('busy', 2);
  const g = m.linkGaps;
  assert.ok(g.queued > 0.3 * (g.direct + g.queued), `${g.queued} of ${g.direct + g.queued} queued`);
  assert.is(g.queuedIncluded, false);
  // The links' mean is 2 ms; the gaps with their waits average several times that.
  assert.ok(Math.abs(m.link!.mean - 2) < 0.1, `link mean ${m.link!.mean}`);
  assert.ok(m.notInferred.some((l) => /^links\.latency: \d+ of \d+ hand-offs started as another span on their callee replica ended \(they had queued there\): left out/.test(l)), m.notInferred.join('\n'));
});

test('an idle callee: nothing queued, nothing left out', () => {
  const m = traced('idle', 40);
  // 40 replicas: a message finds a free worker all but always.
  assert.ok(m.linkGaps.queued < 0.01 * m.linkGaps.direct, JSON.stringify(m.linkGaps));
  assert.ok(Math.abs(m.link!.mean - 2) < 0.1, `link mean ${m.link!.mean}`);
});

test.run();
