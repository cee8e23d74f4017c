import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderStudyReport, renderStudyReportHtml } from '../../sim/report/study-report.js';
import { removeTemporary, tempDir } from '../helpers.js';
import { copyFixture, fixtureData, root, WITH_EVIDENCE } from './helpers.js';
import { spawnCli } from '../cli/cli-process.js';

// `meshtune report <study-dir>`: re-renders both reports from the folder, prints one; bad input exits 2.

const cli = (args: string[]) => spawnCli(root, args).done;

test('report on a study folder: exit 0, the Markdown on stdout, report.md and report.html rewritten', async () => {
  const dir = copyFixture(WITH_EVIDENCE);
  const r = await cli(['report', dir]);
  assert.is(r.code, 0, r.stderr);
  const expected = renderStudyReport(fixtureData(WITH_EVIDENCE));
  assert.is(r.stdout, expected);
  assert.is(readFileSync(path.join(dir, 'report.md'), 'utf8'), expected);
  assert.is(readFileSync(path.join(dir, 'report.html'), 'utf8'), renderStudyReportHtml(fixtureData(WITH_EVIDENCE)));
  const html = await cli(['report', dir, '--format', 'html']);
  assert.is(html.code, 0, html.stderr);
  assert.match(html.stdout, /^<!DOCTYPE html>/);
});

test('optimize writes report.md and report.html; report re-renders them byte for byte', async () => {
  const out = path.join(tempDir('report'), 'study');
  const scenario = path.join(root, 'test/fixtures/report/mesh.yaml');
  const opt = await cli(['optimize', 'performance', scenario, '--budget', '6', '--workers', '1', '--out', out, '--json']);
  assert.ok(opt.code === 0 || opt.code === 1, opt.stderr);
  const summary = JSON.parse(opt.stdout) as {
    files: string[];
    forecast: { breaksAt: number | null } | null;
    confirmation: { currentShown: { p99: number; deliveryRatio: number }; winnerShown: { p99: number } } | null;
  };
  assert.ok(summary.files.some((f) => f.endsWith('report.html')));
  assert.ok(summary.forecast !== null);
  // What the SLOs were judged on is in the summary too, as in study.json.
  const study = JSON.parse(readFileSync(path.join(out, 'study.json'), 'utf8')) as { confirmation: { currentShown: { p99: number; deliveryRatio: number } } };
  assert.is(summary.confirmation!.currentShown.p99, study.confirmation.currentShown.p99);
  assert.is(summary.confirmation!.currentShown.deliveryRatio, study.confirmation.currentShown.deliveryRatio);
  const md = readFileSync(path.join(out, 'report.md'), 'utf8');
  const html = readFileSync(path.join(out, 'report.html'), 'utf8');
  const again = await cli(['report', out]);
  assert.is(again.code, 0, again.stderr);
  assert.is(again.stdout, md);
  assert.is(readFileSync(path.join(out, 'report.html'), 'utf8'), html);
});

test('report on a bad folder: exit 2 and one clear line', async () => {
  const empty = tempDir('report');
  const unfinished = path.join(tempDir('report'), 'killed');
  mkdirSync(unfinished);
  writeFileSync(path.join(unfinished, 'study.json'), JSON.stringify({ id: 'killed', settings: { mode: 'auto' } }));
  const notJson = path.join(tempDir('report'), 'broken');
  mkdirSync(notJson);
  writeFileSync(path.join(notJson, 'study.json'), '{"id": ');
  const cases: Array<[string[], RegExp]> = [
    [['report', path.join(empty, 'nope')], /no such folder/],
    [['report', empty], /no study\.json here/],
    [['report', unfinished], /has not finished.*--resume/],
    [['report', notJson], /not valid JSON/],
    [['report', path.join(root, 'test/fixtures/report/mesh.yaml')], /not a folder/],
    [['report', copyFixture(WITH_EVIDENCE), '--format', 'pdf'], /--format: expected md or html/],
  ];
  for (const [args, why] of cases) {
    const r = await cli(args);
    assert.is(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.is(r.stdout, '');
    assert.match(r.stderr, why);
    assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
  assert.not.ok(existsSync(path.join(empty, 'report.md')), 'nothing written into a folder that is not a study');
});

test.after(removeTemporary);

test.run();
