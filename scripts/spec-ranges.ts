/**
 * Writes the ranges of every numeric field (SPEC §4.1) into docs/SPEC.md,
 * from the schemas themselves (sim/scenario/spec-table.ts). Run it after
 * adding or changing a field; test/scenario/ranges.test.ts fails until then.
 *
 *   node --import tsx scripts/spec-ranges.ts           rewrite the section
 *   node --import tsx scripts/spec-ranges.ts --check   exit 1 when it is out of date
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { withRangesSection } from '../sim/scenario/spec-table.js';

const spec = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'SPEC.md');
const text = readFileSync(spec, 'utf8');
const next = withRangesSection(text);
if (next === null) {
  process.stderr.write(`${spec}: the ranges markers are missing (see sim/scenario/spec-table.ts)\n`);
  process.exitCode = 2;
} else if (process.argv.includes('--check')) {
  process.exitCode = next === text ? 0 : 1;
  process.stderr.write(next === text ? 'SPEC ranges are current\n' : 'SPEC ranges are out of date: run node --import tsx scripts/spec-ranges.ts\n');
} else {
  writeFileSync(spec, next);
  process.stderr.write(next === text ? 'SPEC ranges already current\n' : `rewrote the ranges section of ${spec}\n`);
}
