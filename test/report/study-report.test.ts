import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderStudyReport, renderStudyReportHtml, SECTION_IDS } from '../../sim/report/study-report.js';
import { fmtMs, fmtPct } from '../../sim/report/units.js';
import { BEFORE_EVIDENCE, fixtureData, unbalancedTags, WITH_EVIDENCE } from './helpers.js';
import type { PlanResult, Probe } from '../../sim/plan/types.js';
import { planForecast } from '../../sim/study/evidence.js';

// The study report (SPEC §7) from committed study folders: one with the
// evidence (CDFs, timelines, load forecast), one written before it existed.

const HEADINGS = [
  '## 1. Current configuration and metrics',
  '## 2. Opportunities found and applied',
  '## 3. Improvement and cost saving (fresh seeds, 95% CI)',
  '## 4. Reliability and fault-tolerance status',
  '## 5. Predictive recommendations',
  '## 6. Health of the mesh',
];

/** The text of a Markdown section, up to the next `## `. */
function section(md: string, heading: string): string {
  const start = md.indexOf(`${heading}\n`);
  assert.ok(start >= 0, `missing section "${heading}"`);
  const next = md.indexOf('\n## ', start + heading.length);
  return md.slice(start, next < 0 ? undefined : next);
}

const data = fixtureData(WITH_EVIDENCE);
const r = data.result;
const ev = r.evidence!;
const md = renderStudyReport(data);

test('the Markdown report has the six sections of SPEC §7, in order', () => {
  const at = HEADINGS.map((h) => md.indexOf(`${h}\n`));
  assert.ok(at.every((i) => i > 0), at.join(','));
  assert.equal([...at].sort((a, b) => a - b), at);
  assert.match(md, /^# Study mesh-with-evidence\n/);
});

test('section 1: the current configuration and its measured metrics, with CIs and SLOs', () => {
  const s = section(md, HEADINGS[0]!);
  assert.match(s, /"perTry": 300/);
  const m = r.current.metrics!;
  const ci = m.ci95!['latencyMs.p99']!;
  assert.ok(s.includes(`| p99 latency | ${fmtMs(m.latencyMs.p99)} [${fmtMs(ci[0])}, ${fmtMs(ci[1])}]`), s);
  assert.ok(s.includes(`≤ ${fmtMs(r.slo.p99!)}`));
  assert.match(s, /Means over 10 fresh seeds/);
});

test('section 2: the change found, whether it was applied, and the charts it came from', () => {
  const s = section(md, HEADINGS[1]!);
  for (const c of r.winner!.changes) assert.ok(s.includes(`\`${c.path}\``), c.path);
  assert.match(s, r.recommendation.action === 'adopt' ? /\*\*Applied\*\*/ : /\*\*Not applied\*\*/);
  assert.match(s, /Trade-offs on the Pareto front/);
});

test('section 2 trade-offs: the fastest and the cheapest among candidates that meet the SLOs, each row saying whether it does', () => {
  const d = fixtureData(WITH_EVIDENCE);
  d.result.slo = { p99: 1500, deliveryRatio: 0.99 };
  // #2 is the cheapest but 40× over the p99 bound; #3 meets both; #4 loses the most it may not.
  d.result.pareto = [
    { candidate: 2, p99: 62_700, loss: 0, costPerDelivered: 0.00001 },
    { candidate: 3, p99: 900, loss: 0.001, costPerDelivered: 0.00005 },
    { candidate: 4, p99: 300, loss: 0.02, costPerDelivered: 0.0001 },
  ];
  const s = section(renderStudyReport(d), HEADINGS[1]!);
  assert.match(s, /the fastest and the cheapest among the candidates that meet the SLOs/);
  assert.match(s, /\| lowest cost \| #3 \| 900 ms \| [^|]+\| [^|]+\| yes \|/);
  assert.match(s, /\| lowest loss \| #2 \| 62\.7 s \| [^|]+\| [^|]+\| no: p99 62\.7 s > 1\.5 s \|/);
  assert.not.match(s, /\| lowest cost \| #2 /);
});

test('section 3: every claim with its 95% CI, and the cost saving', () => {
  const s = section(md, HEADINGS[2]!);
  const p99 = r.confirmation!.improvements.find((i) => i.metric === 'p99')!;
  assert.ok(s.includes(`p99 latency: ${fmtMs(p99.current)} → ${fmtMs(p99.winner)}`), s);
  assert.ok(s.includes(`95% CI [−${fmtMs(-p99.ci95[0])}, −${fmtMs(-p99.ci95[1])}]`), s);
  assert.match(s, /(Cost saving|Extra cost): \$[\d.]+ per million delivered messages \(95% CI \[/);
  assert.match(s, /On that seed: current p50 .*; winner p50/);
});

test('section 3 of a study that keeps the current configuration: the winner\'s cost difference is what it would bring, not a saving', () => {
  const d = fixtureData(WITH_EVIDENCE);
  d.result.recommendation = { ...d.result.recommendation, action: 'keep-current' };
  const s = section(renderStudyReport(d), HEADINGS[2]!);
  assert.match(s, /(Cost saving|Extra cost) the winner would bring \(it is not adopted\): \$/);
  assert.match(s, /a day (it would save|more it would cost) \(95% CI/);
  assert.not.match(s, /a day saved/);
});

test('section 4: faults injected, losses by cause and resilience counters for both configurations', () => {
  const s = section(md, HEADINGS[3]!);
  assert.match(s, /crash of 1 worker replica at 2 s for 2 s/);
  assert.match(s, /2 worker replicas 6× slower at 4\.5 s for 2 s/);
  assert.match(s, /\| per run \(mean over fresh seeds\) \| current \| winner \|/);
  assert.match(s, /\| lost: refused by an open breaker \| 88\.1 \| 6\.7 \|/);
  assert.match(s, /\| breaker opens \| 4\.3 \| 0\.3 \|/);
  assert.match(s, /current: timeout 300 ms per try; up to 3 attempts/);
});

test('section 5: the load forecast, where the SLO breaks, what saturates and what to change', () => {
  const s = section(md, HEADINGS[4]!);
  const f = ev.forecast!;
  assert.is(f.breaksAt, 1.25);
  assert.match(s, /absorbs load growth up to ×1\*\* \(no growth\); the SLO breaks at ×1\.25/);
  for (const pt of f.points) assert.ok(s.includes(`| ×${pt.factor} | `), `row ×${pt.factor}`);
  assert.ok(s.includes(`| ${fmtMs(f.points[1]!.p99)} | ${fmtPct(f.points[1]!.deliveryRatio)} |`));
  assert.match(s, /\*\*worker\*\* saturates first/);
  assert.match(s, /Add replicas of \*\*worker\*\* before the load reaches ×1\.25: about \d+ \(today 6/);
  assert.match(s, /meshtune plan \S+mesh\.yaml --role worker --load [\d.]+ --config best-config\.json/);
});

/** A probe of a forecast plan, with only what the report reads. */
const probe = (x: number, p99Ms: number, verdict: Probe['verdict'], seeds: number): Probe => ({
  x,
  p99Ms,
  p99Ci: [p99Ms * 0.9, p99Ms * 1.1],
  p99MeanMs: p99Ms,
  deliveryRatio: 1,
  deliveryCi: [1, 1],
  utilization: { router: 0.1 * x, worker: 0.4 * x, store: 0.05 * x },
  bottleneck: { role: 'worker', utilization: 0.4 * x },
  verdict,
  breaks: verdict === 'breaks' ? ['p99'] : [],
  meets: verdict === 'meets',
  level: 0.983,
  replications: Array.from({ length: seeds }, (_, i) => ({ seed: 7 + i, p99Ms, deliveryRatio: 1, generated: 100, delivered: 100 })),
});

test('section 5 from a forecast plan: the limit as an interval, each load’s verdict, and the replica that breaks it', () => {
  const culprit = {
    replica: 'worker#3', role: 'worker', busy: 1, meanQueue: 42, slowShare: 0.8, roleBusy: [0.3, 1] as [number, number], siblingsBusy: 0.35, roleReplicas: 6,
    fault: { index: 1, kind: 'slow' as const, factor: 6, atMs: 4500, forMs: 2000 },
  };
  const plan = {
    kind: 'load', role: null, answer: 1.6, interval: [1.189, 2], offeredPerSec: 240, precision: 0.1, reached: false, confidence: 0.95, judgedOn: 'pooled', runs: 24, budget: 48,
    probes: [probe(1, 300, 'meets', 4), probe(1.189, 400, 'meets', 4), probe(1.414, 590, 'undecided', 8), probe(2, 900, 'breaks', 4)],
    bottleneck: { x: 2, kind: 'replica', culprit, window: { fromMs: 4500, toMs: 7000 }, seed: 7, agreeing: 4, runs: 4, perSeed: [], text: 'worker#3, slowed ×6 at 4.5–6.5 s, is 100% busy.' },
    leverLoad: null, levers: [], recommendation: null, recommendationText: null, notes: ['×1.41 stayed undecided after 8 replications'],
  } as PlanResult;
  const d = fixtureData(WITH_EVIDENCE);
  d.result.evidence!.forecast = planForecast('winner', 7, d.result.slo, 150, plan);
  const s = section(renderStudyReport(d), HEADINGS[4]!);
  assert.match(s, /\*\*The winner meets the SLOs up to about ×1\.6 today's load\*\* \(\+60%\): between ×1\.19, shown to meet, and ×2 \(300 messages\/s offered\), shown to break \(p99 900 ms > 600 ms\); 95% confidence/);
  assert.match(s, /Each load ran on 4 to 8 seeds from seed 7, more while its interval straddled an SLO; 24 runs in all/);
  assert.ok(s.includes('| ×1.41 | 212/s | 590 ms [531 ms, 649 ms] | 100% | worker 56.6% | 8 | undecided |'), s);
  assert.match(s, /What breaks it, at ×2: worker#3, slowed ×6 at 4\.5–6\.5 s, is 100% busy\./);
  assert.match(s, /The limit is one replica, not worker's capacity/);
  assert.not.match(s, /Add replicas of/, 'no capacity advice against a fault on one replica');
  assert.match(s, /Note: ×1\.41 stayed undecided after 8 replications\./);
});

test('section 5: a role whose replicas are all busy in the culprit window is capacity-bound, whatever its mean; a mesh without faults hears nothing of faults', () => {
  const plan = (roleBusy: [number, number]) =>
    ({
      kind: 'load', role: null, answer: 1.6, interval: [1.189, 2], offeredPerSec: 240, precision: 0.1, reached: false, confidence: 0.95, judgedOn: 'pooled', runs: 24, budget: 48,
      probes: [probe(1, 300, 'meets', 4), probe(1.189, 400, 'meets', 4), probe(2, 900, 'breaks', 4)],
      bottleneck: {
        x: 2, kind: 'role', window: { fromMs: 4500, toMs: 7000 }, seed: 7, agreeing: 4, runs: 4, perSeed: [], text: 'worker: its 6 replicas are all busy.',
        culprit: { replica: 'worker#3', role: 'worker', busy: roleBusy[1], meanQueue: 42, slowShare: 0.3, roleBusy, siblingsBusy: null, roleReplicas: 6, fault: null },
      },
      leverLoad: null, levers: [], recommendation: null, recommendationText: null, notes: [],
    }) as PlanResult;
  const render = (roleBusy: [number, number]): string => {
    const d = fixtureData(WITH_EVIDENCE);
    d.result.evidence!.scenario.faults = [];
    d.result.evidence!.forecast = planForecast('winner', 7, d.result.slo, 150, plan(roleBusy));
    return section(renderStudyReport(d), HEADINGS[4]!);
  };
  // worker is 80% busy on average at ×2 (under the 90% that counts as saturated), but all busy in the window.
  const busy = render([0.97, 1]);
  assert.match(busy, /Over the whole run no role saturates up to ×2 \(the busiest, \*\*worker\*\*, is 80% busy on average\), but in the window above its replicas are/);
  assert.not.match(busy, /No role saturates up to/);
  assert.not.match(busy, /before any role saturates/);
  assert.match(busy, /Add replicas of \*\*worker\*\*/);
  // Its replicas half idle in the window: the tail is the limit, and this mesh has no faults to blame.
  const idle = render([0.4, 0.5]);
  assert.match(idle, /No role saturates up to ×2/);
  assert.match(idle, /The SLO breaks before any role saturates: the limit is the latency tail, not capacity/);
  assert.not.match(idle, /under the faults/);
});

test('section 6: per-role utilisation and state, errors and breaker state', () => {
  const s = section(md, HEADINGS[5]!);
  assert.match(s, /\| worker \| 6 × 1 \| 72\.6% \| 72\.1% \|/);
  assert.match(s, /\| router \| 2 × 4 \|/);
  assert.match(s, /current: 5 opens on seed 1000005/);
  assert.match(s, /winner: breakers configured, none opened/);
});

test('a study written before the evidence still renders; missing parts say "not recorded"', () => {
  const old = renderStudyReport(fixtureData(BEFORE_EVIDENCE));
  for (const h of HEADINGS) assert.ok(old.includes(`${h}\n`), h);
  assert.match(section(old, HEADINGS[4]!), /Not recorded/);
  assert.match(section(old, HEADINGS[5]!), /Not recorded/);
  assert.match(section(old, HEADINGS[3]!), /faults of kind: crash, slow/);
  assert.match(section(old, HEADINGS[2]!), /p99 latency: 861 ms → 413 ms/);
  const html = renderStudyReportHtml(fixtureData(BEFORE_EVIDENCE));
  assert.equal(unbalancedTags(html), []);
  assert.ok((html.match(/<svg\b/g) ?? []).length >= 2, 'convergence and Pareto from evaluations.jsonl');
});

test('without evaluations.jsonl the convergence chart is said to be missing', () => {
  const d = { ...fixtureData(WITH_EVIDENCE), evaluations: null };
  assert.match(renderStudyReport(d), /Convergence chart: evaluations\.jsonl is missing/);
});

test('report.html: one well-formed, self-contained page with the six sections and its charts', () => {
  const html = renderStudyReportHtml(data);
  assert.match(html, /^<!DOCTYPE html>\n<html lang="en">/);
  assert.equal(unbalancedTags(html), []);
  for (const id of SECTION_IDS) assert.match(html, new RegExp(`<section id="${id}">\\n<h2>`));
  for (const h of HEADINGS) assert.ok(html.includes(`<h2>${h.slice(3)}</h2>`), h);
  // Offline: no URL, script, stylesheet link or external image.
  assert.not.match(html, /https?:|\/\/[a-z]|<script|<link|<img|src=|url\(/i);
  const svgs = (html.match(/<svg\b/g) ?? []).length;
  assert.is(svgs, (html.match(/<\/svg>/g) ?? []).length);
  assert.ok(svgs >= 8, `${svgs} charts`);
  for (const t of ['Convergence', 'Latency CDF', 'Pareto front', 'Utilisation per role over time, current', 'Utilisation per role over time, winner', 'Circuit-breaker opens', 'Load forecast']) {
    assert.ok(html.includes(`aria-label="${t}`), t);
  }
  assert.is(renderStudyReportHtml(data), html, 'deterministic');
});

test('a study where nothing meets the SLOs says so in its verdict, with the closest configuration and what limits it', () => {
  const d = fixtureData(WITH_EVIDENCE);
  d.result.recommendation.shortfall = {
    unmet: ['p99'],
    closest: 'winner',
    saturated: [{ role: 'db', utilization: 0.97 }],
    faults: [{ kind: 'slow', target: 'db', atMs: 0, forMs: 60_000, count: 1, fraction: null, factor: 12, rate: null, mtbfMs: null, mttrMs: null }],
  };
  const text = renderStudyReport(d);
  assert.match(text, /\*\*Verdict: no configuration meets the SLOs\*\* — no configuration the study confirmed on fresh seeds meets the p99 \(/);
  assert.match(text, /the closest is the winner, limited by db 97(\.0)?% busy; 1 db replica 12× slower at 0 s for 60 s/);
  // What the search saw: a sample, which a larger budget widens.
  const tried = `The search tried ${d.result.evaluations.candidates} candidates over ${d.result.space.dims.length} dimensions with a budget of ${d.result.budget}`;
  assert.ok(text.includes(tried), tried);
  assert.match(text, /may be among those it did not try, which a larger `--budget` looks for\./);
  assert.not.match(text, /Verdict: adopt the winner/);
  assert.not.match(text, /Verdict: keep the current configuration/);
});

test('a shortfall whose busiest role is far from saturated says the limit is not capacity; a winner closer but not adopted is not called the one held', () => {
  const d = fixtureData(WITH_EVIDENCE);
  d.result.recommendation = {
    ...d.result.recommendation,
    action: 'keep-current',
    shortfall: { unmet: ['p99'], closest: 'winner', saturated: [{ role: 'backend', utilization: 0.214 }], faults: [] },
  };
  const text = renderStudyReport(d);
  assert.match(text, /the closest is the winner; no role is saturated on average over the run \(the busiest, backend, is 21\.4% busy\): the limit is not its average capacity/);
  assert.not.match(text, /limited by backend/);
  assert.match(text, /best-config\.json holds the current configuration: the winner misses the SLOs by less in all, but is not adopted/);
  assert.not.match(text, /the current configuration, the closest one/);
});

test('the search details say what each phase spent; the opportunities, which changes were kept untested', () => {
  const d = fixtureData(WITH_EVIDENCE);
  d.result.phases = { search: 24, simplify: 3.5, confirm: 20, evidence: 6 };
  d.run = { workers: 2, wallMs: 5000, replayed: 0, phasesWallMs: { search: 2500, simplify: 150 } };
  const gzip = { path: 'compression.codec', from: 'none', to: 'gzip' };
  d.result.winner = { ...d.result.winner!, untested: [{ path: 'retry.jitter', from: 'none', to: 'full' }, gzip], unconfirmed: [gzip], rank: 2 };
  const text = renderStudyReport(d);
  assert.match(text, /\| search \| 24 \| 2\.5 s \|/);
  assert.match(text, /\| simplification \| 3\.5 \| 0\.15 s \|/);
  assert.match(text, /\| confirmation \| 20 \| – \|/);
  assert.match(text, /Not shown to matter, kept because the budget ran out before they were tested: `retry\.jitter`\./);
  // Screened as harmless but not confirmed: said as such, not as never tested.
  assert.match(text, /Found not to matter on the cheap screening \(a third of the timeline, one seed\), but kept: the budget ran out before that was confirmed on the search seeds: `compression\.codec`/);
  assert.match(text, /candidate of rank 2/);
});

test.run();
