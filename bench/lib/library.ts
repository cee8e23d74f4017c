import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the repository and its scenario library are, from sources (bench/lib)
 * or from the build (dist/bench/lib) alike: the nearest folder above this
 * file that holds a package.json.
 */
export function repoRoot(from: string = path.dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${from}`);
    dir = up;
  }
}

/** File endings of scenario files (SPEC §4: YAML or JSON). */
const SCENARIO_FILE = /\.(ya?ml|json)$/i;

/**
 * The scenario library: every scenario file directly in `dir` (default
 * `<repo>/scenarios`), as absolute paths in name order. Read at call time,
 * because the library grows; a missing folder gives an empty list.
 */
export function libraryScenarios(dir: string = path.join(repoRoot(), 'scenarios')): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => SCENARIO_FILE.test(f))
    .map((f) => path.join(dir, f))
    .filter((p) => statSync(p).isFile())
    .sort();
}
