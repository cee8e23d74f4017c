// Keeps dist/ (the compiled JavaScript the CLI, workers and benchmarks run)
// in step with the TypeScript sources: rebuilt when missing or older than the
// newest file under sim/ or bench/. tsc 7 builds the tree in about a second.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
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
 * Held (a directory) while a process builds: another process that finds
 * dist/ stale waits for it instead of building too, or importing a tree
 * half written. A lock older than this is a build that died, and is taken over.
 */
const LOCK = path.join(root, '.dist-build.lock');
const STALE_LOCK_MS = 120_000;

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Waits while another process holds the build lock. */
function waitForOtherBuild() {
  for (;;) {
    let held;
    try {
      held = statSync(LOCK);
    } catch {
      return;
    }
    if (Date.now() - held.mtimeMs > STALE_LOCK_MS) {
      rmSync(LOCK, { recursive: true, force: true });
      return;
    }
    sleep(100);
  }
}

/**
 * Builds dist/ unless `relative` there is fresh. Returns true when a usable
 * compiled file exists afterwards. Without a TypeScript compiler (an install
 * without dev dependencies), an existing dist/ is used as it is.
 *
 * One process builds at a time (the lock above), into a folder beside dist/
 * that then replaces it: a command started meanwhile waits, and one already
 * running keeps a whole tree under it, never a mix of old and new files.
 */
export function ensureBuild(relative, { log = () => {} } = {}) {
  waitForOtherBuild();
  if (isFresh(relative)) return true;
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  if (!existsSync(tsc)) return existsSync(path.join(distDir, relative));
  try {
    mkdirSync(LOCK);
  } catch (err) {
    if (err?.code !== 'EEXIST') throw err;
    return ensureBuild(relative, { log }); // another process took it first: wait for it, then look again
  }
  try {
    if (isFresh(relative)) return true;
    log('building dist/ (tsc -p tsconfig.build.json)…');
    const next = `${distDir}.next-${process.pid}`;
    rmSync(next, { recursive: true, force: true });
    const res = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', next], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // tsc emits even with type errors; those belong to `npm run typecheck`.
    if (res.status !== 0) log(`tsc reported errors (run 'npm run typecheck'):\n${`${res.stdout}${res.stderr}`.trim().split('\n').slice(0, 5).join('\n')}`);
    if (existsSync(path.join(next, relative))) {
      const old = `${distDir}.old-${process.pid}`;
      if (existsSync(distDir)) renameSync(distDir, old);
      renameSync(next, distDir);
      rmSync(old, { recursive: true, force: true });
    } else {
      rmSync(next, { recursive: true, force: true });
    }
    return existsSync(path.join(distDir, relative));
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}
