/**
 * The regression gate as a function (`meshtune gate --baseline A --candidate B`):
 * files are read here, the comparison is sim/gate's. Several files a side
 * are pooled as benchmark runs.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  compareDocuments,
  comparisonMarkdown,
  GateInputError,
  poolRuns,
  readGateDocument,
  type BenchDocument,
  type Comparison,
  type GateDocument,
} from '../gate/index.js';
import { InputError } from '../scenario/index.js';

/** A gate input: a file or study folder, several benchmark files, or a parsed document. */
export type GateInput = string | readonly string[] | Record<string, unknown>;

export interface GateApiOptions {
  /** Smallest relative change that can fail the gate (default 0.05). */
  threshold?: number;
  /** Benchmark files: compare only the tasks whose name matches. */
  only?: RegExp;
}

export interface GateVerdict {
  comparison: Comparison;
  markdown: string;
  /** True when something is significantly worse, or nothing could be tested. */
  failed: boolean;
  /** One line saying why the gate failed, or null. */
  failure: string | null;
}

/** Minimum relative change that can fail the gate, unless the caller says otherwise. */
export const DEFAULT_THRESHOLD = 0.05;

const asInput = (err: unknown): unknown => (err instanceof GateInputError ? new InputError(err.file, '', err.detail) : err);

/** Reads a gate input: a JSON file, or a study folder (its study.json). */
export function readGateFile(file: string): GateDocument {
  let target = file;
  if (existsSync(file) && statSync(file).isDirectory()) {
    target = path.join(file, 'study.json');
    if (!existsSync(target)) throw new InputError(file, '', 'a folder without study.json; expected a benchmark results file, a simulate --json output or a study folder');
  }
  let text: string;
  try {
    text = readFileSync(target, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(target, '', `cannot read${code === 'ENOENT' ? ': no such file' : ` (${code ?? (err as Error).message})`}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new InputError(target, '', `not valid JSON (${(err as Error).message}); expected a benchmark results file, a simulate --json output or a study.json`);
  }
  try {
    return readGateDocument(value, target);
  } catch (err) {
    throw asInput(err);
  }
}

function sideOf(input: GateInput, side: string, dropped: string[]): { doc: GateDocument; label: string; files: number } {
  if (typeof input === 'string') return { doc: readGateFile(input), label: input, files: 1 };
  if (Array.isArray(input)) {
    const files = input as readonly string[];
    if (files.length === 0) throw new InputError('', side, 'expected a file, a list of files or a document');
    if (files.length === 1) return { doc: readGateFile(files[0]!), label: files[0]!, files: 1 };
    const docs = files.map((f) => {
      const d = readGateFile(f);
      if (d.kind !== 'bench') throw new InputError(f, '', `several files a side are pooled as benchmark runs; expected a benchmark results file, got a ${d.source} output`);
      return d;
    });
    const pooled = poolRuns(docs);
    dropped.push(...pooled.dropped);
    return { doc: pooled.doc as BenchDocument, label: files.join(', '), files: files.length };
  }
  try {
    return { doc: readGateDocument(input, `<${side}>`), label: `<${side}>`, files: 1 };
  } catch (err) {
    throw asInput(err);
  }
}

/** Compares a candidate with a baseline: the verdict, its Markdown summary, and why it failed. */
export function gate(baseline: GateInput, candidate: GateInput, opts: GateApiOptions = {}): GateVerdict {
  const threshold = opts.threshold ?? DEFAULT_THRESHOLD;
  if (!(threshold >= 0 && threshold < 1)) throw new InputError('', 'threshold', `expected a relative change in [0, 1) such as 0.05, got ${threshold}`);
  const dropped: string[] = [];
  const b = sideOf(baseline, 'baseline', dropped);
  const c = sideOf(candidate, 'candidate', dropped);
  const labels = { baseline: b.label, candidate: c.label };
  // `only` picks benchmark tasks by name; replicated runs and studies compare their fixed metrics, which it would silently leave all in.
  if (opts.only !== undefined && b.doc.kind !== 'bench') {
    throw new InputError('', 'only', `picks benchmark tasks by name; ${labels.baseline} is not a benchmark results file (its metrics are all compared)`);
  }
  let comparison: Comparison;
  try {
    comparison = compareDocuments(b.doc, c.doc, labels, { threshold, ...(opts.only !== undefined ? { only: opts.only } : {}) });
  } catch (err) {
    throw asInput(err);
  }
  if (comparison.kind === 'bench' && comparison.tasks.length === 0) {
    throw new InputError(labels.candidate, '', `no task in common with ${labels.baseline}${opts.only ? ` matching ${String(opts.only)}` : ''}; nothing to compare`);
  }
  if (b.files > 1 || c.files > 1) {
    comparison.notes.unshift(
      `pooled runs: each file counts as one sample per task (its median); ${b.files} baseline and ${c.files} candidate files` +
        (Math.min(b.files, c.files) < 4 ? ' — fewer than 4 a side can never be significant' : ''),
      ...[...new Set(dropped)].map((name) => `'${name}' is missing from some of the pooled files: not compared`),
    );
  }
  const markdown = comparisonMarkdown(comparison, labels);
  return { comparison, markdown, failed: comparison.failed, failure: comparison.failed ? failureLine(comparison) : null };
}

function failureLine(c: Comparison): string {
  if (c.kind === 'bench' && c.noEvidence) return `gate failed: no task had samples enough to test (${c.tasks.map((t) => t.name).join(', ')})`;
  const names = c.kind === 'bench' ? c.tasks.filter((t) => t.verdict === 'slower').map((t) => t.name) : c.metrics.filter((m) => m.verdict === 'worse').map((m) => m.label);
  return `gate failed: significantly worse beyond ${(c.threshold * 100).toFixed(1)}%: ${names.join(', ')}`;
}
