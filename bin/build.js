// Keeps dist/ (the compiled JavaScript the CLI, workers and benchmarks run)
// in step with the TypeScript sources: rebuilt when missing or older than the
// newest file under sim/ or bench/. tsc 7 builds the tree in about a second.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const distDir = path.join(root, 'dist');
const SOURCE_DIRS = ['sim', 'bench'];

/** Newest modification time (ms) of any file under `dir`; 0 when absent. */
export function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') newest = Math.max(newest, newestMtime(p));
    } else if (entry.isFile()) {
      newest = Math.max(newest, statSync(p).mtimeMs);
    }
  }
  return newest;
}

/** True when dist/ holds `relative` and nothing under the sources is newer. */
export function isFresh(relative) {
  if (!existsSync(path.join(distDir, relative))) return false;
  const sources = Math.max(...SOURCE_DIRS.map((d) => newestMtime(path.join(root, d))));
  return newestMtime(distDir) >= sources;
}

/**
 * Builds dist/ unless `relative` there is fresh. Returns true when a usable
 * compiled file exists afterwards. Without a TypeScript compiler (an install
 * without dev dependencies), an existing dist/ is used as it is.
 */
export function ensureBuild(relative, { log = () => {} } = {}) {
  if (isFresh(relative)) return true;
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  if (!existsSync(tsc)) return existsSync(path.join(distDir, relative));
  log('building dist/ (tsc -p tsconfig.build.json)…');
  const res = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // tsc emits even with type errors; those belong to `npm run typecheck`.
  if (res.status !== 0) log(`tsc reported errors (run 'npm run typecheck'):\n${`${res.stdout}${res.stderr}`.trim().split('\n').slice(0, 5).join('\n')}`);
  return existsSync(path.join(distDir, relative));
}
