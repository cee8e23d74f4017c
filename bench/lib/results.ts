import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { BenchEnv } from './env.js';
import { summarize } from './summary.js';

/**
 * Results of one suite run, written as three files under the results
 * directory: `<name>.json` (raw samples, the record to compare against),
 * `<name>.csv` (one summary row per task) and `<name>.md` (a table for humans).
 * Formatting is pure; only `writeResults` touches the disk.
 */

/** One measured task: every sample is one throughput (or time) figure in `unit`. */
export interface TaskSamples {
  name: string;
  /** Unit of each sample, e.g. `Mevents/s`. */
  unit: string;
  /** True for throughputs, false for durations; tells a comparison which way is better. */
  higherIsBetter: boolean;
  samples: number[];
  /** Why the task is reported but not gated (a timing too brief to tell a change from noise); absent: gated. */
  ungated?: string;
}

/** Everything a suite run records; this is exactly the JSON file's shape. */
export interface BenchReport {
  env: BenchEnv;
  tasks: TaskSamples[];
}

/** Default results directory, relative to the working directory (the package root under npm). */
export const DEFAULT_RESULTS_DIR = path.join('results', 'bench');

/** CSV columns, in order. */
export const CSV_COLUMNS = ['name', 'unit', 'median', 'p25', 'p75', 'min', 'max', 'n'] as const;

/** The JSON text: keys in a fixed order so that files diff cleanly. */
export function toJson(report: BenchReport): string {
  const { env } = report;
  const clean: BenchReport = {
    env: { node: env.node, cpu: env.cpu, cores: env.cores, os: env.os, date: env.date, commit: env.commit },
    tasks: report.tasks.map((t) => ({
      name: t.name,
      unit: t.unit,
      higherIsBetter: t.higherIsBetter,
      samples: [...t.samples],
      ...(t.ungated !== undefined ? { ungated: t.ungated } : {}),
    })),
  };
  return `${JSON.stringify(clean, null, 2)}\n`;
}

/** The CSV text: a header row, then one summary row per task (full precision). */
export function toCsv(report: BenchReport): string {
  const rows = report.tasks.map((t) => {
    const s = summarize(t.samples);
    return [t.name, t.unit, s.median, s.p25, s.p75, s.min, s.max, s.n];
  });
  return stringify(rows, { header: true, columns: [...CSV_COLUMNS] });
}

/**
 * The Markdown text: an environment line, then a table with the median, the
 * interquartile range and the full range of each task's samples.
 */
export function toMarkdown(name: string, report: BenchReport): string {
  const { env } = report;
  const lines = [
    `# Benchmark: ${name}`,
    '',
    `Node ${env.node} · ${env.cpu} · ${env.cores} cores · ${env.os} · ${env.date} · commit ${env.commit}`,
    '',
    '| task | unit | median | p25–p75 | min–max | n |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
  ];
  for (const t of report.tasks) {
    const s = summarize(t.samples);
    const better = t.higherIsBetter ? '' : ' (lower is better)';
    lines.push(
      `| ${cell(t.name)} | ${cell(t.unit)}${better} | ${formatValue(s.median)} | ` +
        `${formatValue(s.p25)}–${formatValue(s.p75)} | ${formatValue(s.min)}–${formatValue(s.max)} | ${s.n} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Four significant digits; no exponent for values people read in tables. */
export function formatValue(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Math.abs(x) >= 10000) return x.toFixed(0);
  return x.toPrecision(4);
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** Paths of the files one `writeResults` call wrote. */
export interface WrittenFiles {
  json: string;
  csv: string;
  md: string;
}

/** Writes `<name>.json`, `<name>.csv` and `<name>.md` into `dir` (created if missing). */
export function writeResults(name: string, report: BenchReport, dir: string = DEFAULT_RESULTS_DIR): WrittenFiles {
  mkdirSync(dir, { recursive: true });
  const files: WrittenFiles = {
    json: path.join(dir, `${name}.json`),
    csv: path.join(dir, `${name}.csv`),
    md: path.join(dir, `${name}.md`),
  };
  writeFileSync(files.json, toJson(report));
  writeFileSync(files.csv, toCsv(report));
  writeFileSync(files.md, toMarkdown(name, report));
  return files;
}
