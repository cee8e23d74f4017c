import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { scalingCharts } from '../../sim/report/charts/scaling.js';
import { renderStudyReportHtml } from '../../sim/report/study-report.js';
import { loadScenario } from '../../sim/scenario/index.js';
import { runStudy } from '../../sim/study/study.js';
import { removeTemporary } from '../helpers.js';
import { InlineRunner, scenarioFile } from '../study/helpers.js';
import { unbalancedTags } from './helpers.js';

// The scaling chart of report.html: the replicas an autoscaled role ran over
// time, above the offered load, from the study's evidence run.

test.after(removeTemporary);

const doc = (autoscale: boolean) => ({
  duration: '120s',
  roles: { server: { count: 2, workers: 1, service: '40ms' } },
  workload: [
    { pattern: 'poisson', to: 'server', rate: '20/s', stop: '40s' },
    { pattern: 'poisson', to: 'server', rate: '60/s', start: '40s' },
  ],
  slo: { p99: '1s' },
  config: autoscale ? { autoscale: { server: { target: 0.5, max: 8, period: '5s', provisioning: '5s' } } } : {},
});

test('an autoscaled study charts its replicas over time against the offered load', async () => {
  const file = scenarioFile(doc(true), 'scaled');
  const r = await runStudy(loadScenario(file), { scenarioPath: file, mode: 'performance', budget: 3, seed: 1, strategy: 'halving', confirmReplications: 2 }, new InlineRunner());
  const ev = r.evidence!;
  const replicas = ev.current!.timeline.replicas!['server']!;
  assert.is(replicas.length, ev.current!.timeline.generated.length);
  assert.ok(Math.abs(replicas[0]! - 2) < 1e-9, 'two replicas at the start');
  assert.ok(Math.max(...replicas) >= 5, `the step to three times the load needs more: ${Math.max(...replicas)}`);
  const charts = scalingCharts(ev)!;
  assert.ok(charts[0].includes('replicas serving') && charts[0].includes('server'));
  assert.ok(charts[1].includes('messages offered per second'));
  const html = renderStudyReportHtml({ id: 'scaled', result: r, versions: { node: 'test', meshtune: 'test' } });
  assert.ok(html.includes('Replicas serving per autoscaled role over time'));
  assert.equal(unbalancedTags(html), []);
});

test('no autoscaling, no scaling chart', async () => {
  const file = scenarioFile(doc(false), 'fixed');
  const r = await runStudy(loadScenario(file), { scenarioPath: file, mode: 'performance', budget: 2, seed: 1, strategy: 'halving', confirmReplications: 2 }, new InlineRunner());
  assert.is(r.evidence!.current!.timeline.replicas, undefined);
  assert.is(scalingCharts(r.evidence!), null);
});

test.run();
