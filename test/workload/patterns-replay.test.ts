import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EventQueue } from '../../sim/engine/event-queue.js';
import { compileScenario } from '../../sim/model/index.js';
import { runScenario } from '../../sim/runner/index.js';
import { loadScenario } from '../../sim/scenario/index.js';
import type { Scenario } from '../../sim/scenario/types.js';
import { createSource } from '../../sim/workload/sources.js';
import { scenarioOf } from '../helpers.js';
import { ROOT, fixture } from './trace-spec.js';

// Trace replay reproduces its trace: as many messages as rows in the measured
// window, each at its row's time (time_ms / speedup + start). Replays draw
// nothing at random; the seed only matters for service and routing.
const SEED = 3;
const REPLAY = fixture('patterns', 'replay.csv');
const AZURE = path.join(ROOT, 'scenarios', 'traces', 'AzureLLMInferenceTrace_code.csv');

/** The `time_ms` column of a csv trace, read here independently of the trace readers. */
function csvTimes(file: string): number[] {
  const [header, ...rows] = readFileSync(file, 'utf8').trim().split('\n');
  const col = (header ?? '').split(',').indexOf('time_ms');
  return rows.map((r) => Number(r.split(',')[col]));
}

/**
 * The Azure trace's timestamps as 100 ns ticks after the first row (all rows
 * are on 2023-11-16: `YYYY-MM-DD HH:MM:SS.fffffff`), read independently.
 */
function azureTicks(file: string): number[] {
  const rows = readFileSync(file, 'utf8').trim().split('\n').slice(1);
  const ticks = rows.map((r) => {
    const m = /^\d{4}-\d\d-\d\d (\d\d):(\d\d):(\d\d)\.(\d{7}),/.exec(r);
    if (m === null) throw new Error(`unexpected row ${r}`);
    return ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1e7 + Number(m[4]);
  });
  return ticks.map((t) => t - ticks[0]!);
}

/** The times at which entry 0's source schedules its messages, driven through an event queue. */
function scheduledTimes(sc: Scenario): number[] {
  const compiled = compileScenario(sc);
  const entry = compiled.entries[0]!;
  const src = createSource(entry.spec, 0, compiled, SEED, 0);
  const q = new EventQueue();
  const times: number[] = [];
  src.init(0, q);
  while (q.pop()) {
    times.push(q.time);
    assert.ok(src.advance(0, -1, q));
  }
  src.close();
  return times;
}

function replayScenario(speedup: number): Scenario {
  return scenarioOf(
    {
      duration: '8s',
      warmup: '1s',
      roles: { front: { count: 2, service: '1ms' }, back: { count: 3, service: '1ms' } },
      workload: [{ pattern: 'trace', file: REPLAY, start: '500ms', speedup }],
    },
    path.join(ROOT, 'test', 'fixtures', 'patterns', 'replay'),
  );
}

test('csv replay: every row at time_ms / speedup + start, exactly; the count in the window', () => {
  const file = csvTimes(REPLAY);
  const t0 = file[0]!;
  for (const speedup of [1, 2]) {
    const sc = replayScenario(speedup);
    // Rows scheduled: those before the scenario's end (8 s).
    const expected = file.map((t) => 500 + (t - t0) / speedup).filter((t) => t < 8000);
    assert.equal(scheduledTimes(sc), expected, `speedup ${speedup}`);
    const inWindow = expected.filter((t) => t >= 1000).length;
    const m = runScenario(sc, { seed: SEED });
    assert.is(m.messages.generated, inWindow, `speedup ${speedup}, seed ${SEED}`);
    assert.is(m.messages.delivered, inWindow, `speedup ${speedup}, seed ${SEED}`);
    // By hand: rows 999.75 … 7250.5 (13 rows) at speedup 1; 1333.3 … 12345.678 (16) at speedup 2.
    assert.is(inWindow, speedup === 1 ? 13 : 16);
  }
  // speedup 2 halves every gap (up to the rounding of adding `start`, 10⁻¹³ ms;
  // the times themselves are exact, as checked above).
  const one = scheduledTimes(replayScenario(1));
  const two = scheduledTimes(replayScenario(2));
  for (let i = 1; i < one.length; i++) {
    const gap1 = one[i]! - one[i - 1]!;
    const gap2 = two[i]! - two[i - 1]!;
    assert.ok(Math.abs(gap2 - gap1 / 2) < 1e-9, `gap ${i}: ${gap2} ms at speedup 2, ${gap1} ms at speedup 1`);
  }
});

test('azure-llm replay: 8,819 rows; the scenario generates the rows in its measured window, each at Δt / speedup', () => {
  const sc = loadScenario(path.join(ROOT, 'scenarios', 'azure-llm-replay.yaml'));
  const entry = sc.workload[0]!;
  assert.is(entry.pattern, 'trace');
  const ticks = azureTicks(AZURE);
  assert.is(ticks.length, 8819);
  // speedup 4, start 0: a row Δ ticks after the first arrives at Δ / 10⁴ / 4 ms.
  const speedup = 4;
  const expected = ticks.map((t) => t / 1e4 / speedup).filter((t) => t < sc.duration);
  const got = scheduledTimes(sc);
  assert.is(got.length, expected.length);
  // Exact to well below the trace's 100 ns resolution (10⁻⁴ ms).
  got.forEach((t, i) => assert.ok(Math.abs(t - expected[i]!) < 1e-6, `row ${i + 1}: scheduled ${t} ms, file ${expected[i]} ms`));
  const inWindow = expected.filter((t) => t >= sc.warmup).length;
  const m = runScenario(sc, { seed: SEED });
  assert.is(m.messages.generated, inWindow, `seed ${SEED}`);
  // The whole hour fits in the 15 min run at speedup 4; the first minute is warm-up.
  assert.is(expected.length, 8819);
  assert.ok(inWindow > 8000 && inWindow < 8819);
});

test('a bad trace row stops `simulate` with exit 2 and one line naming the file and the row', () => {
  const out = spawnSync(process.execPath, ['--import', 'tsx', 'sim/cli/main.ts', 'simulate', 'test/fixtures/patterns/bad-trace.yaml'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  assert.is(out.status, 2, out.stderr);
  const lines = out.stderr.trim().split('\n');
  assert.is(lines.length, 1, out.stderr);
  assert.match(lines[0]!, /bad-row\.csv:4: row 3: bytes: /);
  assert.match(lines[0]!, /'1KB'/);
  assert.is(out.stdout, '');
});

test.run();
