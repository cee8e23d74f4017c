// The suite's test files, as uvu finds them: every *.test.ts under test/,
// paths relative to the repository root with forward slashes, sorted.
import { readdirSync } from 'node:fs';
import path from 'node:path';

export function listTestFiles(root, filter = null) {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.test.ts')) files.push(path.relative(root, full).split(path.sep).join('/'));
    }
  };
  walk(path.join(root, 'test'));
  files.sort();
  return filter === null ? files : files.filter((f) => filter.test(f));
}

/** uvu's file pattern for exactly these test files (uvu matches paths relative to test/). */
export function uvuPattern(files) {
  const names = files.map((f) => f.slice('test/'.length).replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return `^(?:${names.join('|')})$`;
}
