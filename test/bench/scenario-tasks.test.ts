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

test('warm second runs make an events/s (warm) task, from the second runs\' wall times; without them, none', () => {
  const warm = (cpu: number, again: number): ChildSample => ({ ...sample(cpu), warmSimulateMs: again, warmSimulateCpuMs: again * 1.05 });
  const tasks = scenarioTasks([
    { name: 'cold', samples: [sample(400), sample(420), sample(390)] },
    { name: 'hot', samples: [warm(400, 250), warm(420, 200), warm(390, 500)] },
    { name: 'brief', samples: [warm(400, 50), warm(420, 40), warm(390, 60)] },
  ]);
  assert.not.ok(tasks.some((t) => t.name === 'cold: events/s (warm)'));
  const hot = tasks.find((t) => t.name === 'hot: events/s (warm)')!;
  // 10,000 events in 250, 200 and 500 ms: 0.04, 0.05 and 0.02 M events/s.
  assert.equal(hot.samples.map((x) => Number(x.toFixed(6))), [0.04, 0.05, 0.02]);
  assert.ok(hot.higherIsBetter && hot.unit === 'Mevents/s' && hot.ungated === undefined);
  // The first run's rate is still the first run's.
  assert.equal(tasks.find((t) => t.name === 'hot: events/s')!.samples, tasks.find((t) => t.name === 'cold: events/s')!.samples);
  // Second runs of 50, 40 and 60 ms of wall take 52.5, 42 and 63 ms of CPU here: under BRIEF_SIMULATION_MS.
  assert.match(tasks.find((t) => t.name === 'brief: events/s (warm)')!.ungated!, /second run takes 53 ms of CPU \(median\)/);
});

test.run();
