import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { esc, layoutOf, linearScale, logScale, logTicks, niceDomain, niceTicks, plot, type PlotSpec } from '../../sim/report/svg/index.js';

// The report's own SVG chart module: scales, ticks, escaping, log axes, and
// marks drawn where their values say.

test('linear ticks fall on 1-2-5 steps, without float dust', () => {
  assert.equal(niceTicks(0, 10, 5), [0, 2, 4, 6, 8, 10]);
  assert.equal(niceTicks(0.1, 0.35, 5), [0.1, 0.15, 0.2, 0.25, 0.3, 0.35]);
  assert.equal(niceTicks(-3, 7, 4), [-2, 0, 2, 4, 6]);
  assert.equal(niceDomain(0.13, 9.2), [0, 10]);
  assert.equal(niceDomain(5, 5)[0] < 5 && niceDomain(5, 5)[1] > 5, true, 'a single value gets room around it');
});

test('log ticks are powers of ten, with 2 and 5 when the domain spans few decades', () => {
  assert.equal(logTicks(1, 1000), [1, 10, 100, 1000]);
  assert.equal(logTicks(100, 4000), [100, 200, 500, 1000, 2000]);
  assert.equal(logTicks(0, 10), [], 'no log ticks for a non-positive domain');
});

test('scales map the domain onto the range and clamp what falls outside', () => {
  const x = linearScale([0, 10], [50, 150]);
  assert.is(x(0), 50);
  assert.is(x(2.5), 75);
  assert.is(x(10), 150);
  assert.is(x(20), 150);
  assert.is(x(-Infinity), 50);
  assert.ok(Number.isNaN(x(NaN)));
  const y = linearScale([0, 1], [300, 100]);
  assert.is(y(0.25), 250, 'a y range runs downwards');
  const l = logScale([1, 10_000], [0, 400]);
  assert.is(l(100), 200, '100 sits in the middle of [1, 10⁴] on a log axis');
  assert.is(l(10), 100);
  assert.is(l(0), 0, 'zero goes to the low edge of a log axis');
  assert.is(l(Infinity), 400);
  assert.throws(() => logScale([0, 10], [0, 1]), /positive/);
});

test('text is escaped for XML', () => {
  assert.is(esc(`<a href="x">Tom & Jerry's</a>`), '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;');
});

const known: PlotSpec = {
  title: 'known points',
  x: { label: 'x', min: 0, max: 10 },
  y: { label: 'y', min: 0, max: 100 },
  series: [{ name: 'line', points: [[0, 0], [5, 50], [10, 100]], color: '#000' }],
  marks: [{ x: 2, y: 25, color: '#f00' }],
  legend: [],
  width: 400,
  height: 300,
};

test('a chart of known points has its line and marks where the values say', () => {
  const svg = plot(known);
  const L = layoutOf(known, []);
  const d = /<path class="series" data-series="line" d="([^"]+)"/.exec(svg)?.[1];
  assert.is(d, `M${L.left} ${L.bottom}L${(L.left + L.right) / 2} ${(L.top + L.bottom) / 2}L${L.right} ${L.top}`);
  const mark = /<circle cx="([\d.]+)" cy="([\d.]+)" r="3.5"[^>]*class="mark" data-x="2" data-y="25"/.exec(svg);
  assert.ok(mark, svg);
  assert.ok(Math.abs(Number(mark![1]) - (L.left + 0.2 * (L.right - L.left))) < 0.06);
  assert.ok(Math.abs(Number(mark![2]) - (L.bottom - 0.25 * (L.bottom - L.top))) < 0.06);
  // Axis ticks at 0, 2, …, 10 and 0, 20, …, 100.
  for (const t of ['0', '2', '4', '6', '8', '10', '20', '100']) assert.match(svg, new RegExp(`>${t}</text>`));
});

test('a log x axis puts 100 half-way between 1 and 10 000, with decade ticks', () => {
  const spec: PlotSpec = { title: 'log', x: { label: 'ms', log: true, min: 1, max: 10_000 }, y: { label: 'p', min: 0, max: 1 }, marks: [{ x: 100, y: 0.5, color: '#00f' }], legend: [], width: 500 };
  const svg = plot(spec);
  const L = layoutOf(spec, []);
  const cx = Number(/cx="([\d.]+)"[^>]*data-x="100"/.exec(svg)?.[1]);
  assert.ok(Math.abs(cx - (L.left + L.right) / 2) < 0.06, `cx ${cx}`);
  for (const t of ['1', '10', '100', '1,000', '10,000']) assert.match(svg, new RegExp(`>${t}</text>`));
});

test('steps hold each value until the next point; NaN breaks a line', () => {
  const spec: PlotSpec = { ...known, series: [{ name: 's', points: [[0, 0], [5, 50], [NaN, 1], [10, 100]], color: '#000', step: true }], marks: [] };
  const d = /data-series="s" d="([^"]+)"/.exec(plot(spec))![1]!;
  assert.match(d, /^M[\d.]+ [\d.]+H[\d.]+V[\d.]+M[\d.]+ [\d.]+$/);
});

test('names and titles are escaped, elements balanced, and no id or URL is emitted', () => {
  const svg = plot({
    title: 'a <script>alert(1)</script> & b',
    x: { label: 'x <1>' },
    y: { label: 'y "2"' },
    series: [{ name: '<role & co>', points: [[0, 1], [1, 2]], color: '#123456' }],
    bands: [{ from: 0.2, to: 0.4, label: 'crash <w>' }],
    refs: [{ axis: 'y', value: 1.5, label: 'SLO <' }],
    colorBar: { label: 'cost & co', min: 1, max: 10, color: () => '#000' },
  });
  assert.not.match(svg, /<script|<role|<w>|<1>/);
  assert.match(svg, /&lt;role &amp; co&gt;/);
  assert.not.match(svg, /\sid="|https?:|xlink/);
  assert.is((svg.match(/<svg\b/g) ?? []).length, 1);
  assert.is((svg.match(/<\/svg>/g) ?? []).length, 1);
  assert.is(plot(known), plot(known), 'deterministic');
});

test.run();
