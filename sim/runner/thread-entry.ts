/**
 * Where a piscina pool's thread entry is, and how its threads start: the
 * `.ts` source next to the caller under tsx, the `.js` in the build. Shared
 * by the study runner's pool and the queue worker's.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The thread entry `name` next to the module at `moduleUrl`. */
export function threadEntry(moduleUrl: string, name: string): string {
  return path.join(path.dirname(fileURLToPath(moduleUrl)), `${name}${moduleUrl.endsWith('.ts') ? '.ts' : '.js'}`);
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
