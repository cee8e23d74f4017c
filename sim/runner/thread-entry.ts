/**
 * Where a piscina pool's thread entry is, and how its threads start. In the
 * build, the `.js` next to the caller. Under tsx, the `.ts` source, which each
 * thread compiles again under tsx, unless the process says a fresh build is
 * there (MESHTUNE_BUILT_THREADS=1, which the test runner sets once it has
 * built dist/): then the build's `.js`, as the CLI's threads run it. The
 * suite starts a few dozen pools; compiling the sources cold costs a thread
 * about a second.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, when this file runs from the sources (sim/runner/). */
const SOURCE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The thread entry `name` next to the module at `moduleUrl`. */
export function threadEntry(moduleUrl: string, name: string): string {
  const here = path.dirname(fileURLToPath(moduleUrl));
  if (!moduleUrl.endsWith('.ts')) return path.join(here, `${name}.js`);
  if (process.env.MESHTUNE_BUILT_THREADS === '1') return path.join(SOURCE_ROOT, 'dist', path.relative(SOURCE_ROOT, here), `${name}.js`);
  return path.join(here, `${name}.ts`);
}

/**
 * Piscina's thread options for `file`: worker threads inherit `--import tsx`
 * from the command line; a process that registered tsx from code instead
 * (bin/meshtune.js without a build) must pass it on to a `.ts` entry.
 */
export function threadOptions(file: string): { execArgv?: string[] } {
  const tsxMissing = file.endsWith('.ts') && !process.execArgv.some((a) => a.includes('tsx'));
  return tsxMissing ? { execArgv: [...process.execArgv, '--import', 'tsx'] } : {};
}
