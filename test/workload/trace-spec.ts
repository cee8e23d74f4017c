import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TraceFormat, TraceWorkload } from '../../sim/scenario/types.js';
import { newTraceRow, openTrace, type TraceRow } from '../../sim/workload/traces/index.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const fixture = (...parts: string[]) => path.join(ROOT, 'test', 'fixtures', ...parts);

/** The roles the csv/jsonl fixtures use. */
export const MESH_ROLES = ['coordinator', 'worker', 'reviewer'];
export const MESH_COUNTS = [2, 3, 1];

/** A trace entry as the scenario loader would produce it. */
export function traceSpec(file: string, format: TraceFormat, extra: Partial<TraceWorkload> = {}): TraceWorkload {
  return {
    pattern: 'trace',
    from: 'external',
    to: '',
    size: { dist: 'const', value: 1000 },
    reply: null,
    then: [],
    parallel: [],
    start: 0,
    stop: Infinity,
    priority: 0,
    keys: 1,
    fanout: null,
    file,
    format,
    speedup: 1,
    bytesPerToken: 4,
    classes: [],
    ...extra,
  };
}

/** Every row of a trace, copied out of the reused row. */
export function readAll(spec: TraceWorkload, roles = MESH_ROLES, counts = MESH_COUNTS): TraceRow[] {
  const cursor = openTrace(spec, roles, counts);
  const row = newTraceRow();
  const out: TraceRow[] = [];
  try {
    while (cursor.next(row)) out.push({ ...row });
  } finally {
    cursor.close();
  }
  return out;
}

let tmp: string | null = null;
/** Writes `text` to a new file in a temporary folder and returns its path. */
export function tempFile(name: string, text: string): string {
  if (tmp === null) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'meshtune-traces-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    tmp = dir;
  }
  const file = path.join(tmp, name);
  writeFileSync(file, text);
  return file;
}

/** The InputError that `fn` throws (test/helpers.ts). */
export { inputError } from '../helpers.js';
