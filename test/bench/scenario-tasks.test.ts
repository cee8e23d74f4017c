import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BRIEF_SIMULATION_MS, scenarioTasks } from '../../bench/lib/scenario-tasks.js';
import type { ChildSample } from '../../bench/lib/scenario-child.js';
import { readGateDocument } from '../../sim/gate/index.js';

/** One child's sample of a scenario whose simulation took `simulateCpuMs` of CPU. */
function sample(simulateCpuMs: number): ChildSample {
  return {
    scenario: 's',
    events: 10_000,
    simulateMs: simulateCpuMs * 0.9,
    wallMs: simulateCpuMs + 300,
    cpuMs: simulateCpuMs + 320,
    simulateCpuMs,
    referenceEvents: 2_000_000,
    referenceMs: 250,
    referenceCpuMs: 260,
    peakRssMB: 80,
    p99: 12,
  };
}

test('a scenario simulated in under BRIEF_SIMULATION_MS of CPU: its rates are marked not to gate, its whole-process times are gated', () => {
  const tasks = scenarioTasks([
    { name: 'brief', samples: [sample(20), sample(31), sample(17)] },
    { name: 'long', samples: [sample(400), sample(420), sample(390)] },
  ]);
  const ungated = tasks.filter((t) => t.ungated !== undefined).map((t) => t.name);
  assert.equal(ungated, ['brief: events/s', 'brief: events/s (normalised)']);
  assert.match(tasks.find((t) => t.name === 'brief: events/s')!.ungated!, new RegExp(`takes 20 ms of CPU \\(median\\), too brief to time: under ${BRIEF_SIMULATION_MS} ms`));
  // The mark survives the results file: the gate reads it back.
  const doc = readGateDocument(JSON.parse(JSON.stringify({ env: {}, tasks })), 'x.json');
  assert.ok(doc.kind === 'bench' && doc.tasks.find((t) => t.name === 'brief: events/s (normalised)')?.ungated !== undefined);
  assert.throws(() => readGateDocument({ env: {}, tasks: [{ ...tasks[0], ungated: 3 }] }, 'x.json'), /tasks\[0\]\.ungated: expected a string/);
});

test.run();
