import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI from the sources, under tsx. */
export const SOURCE_CLI = ['--import', 'tsx', 'sim/cli/main.ts'];
/** The compiled CLI (bin/meshtune.js rebuilds dist/ when the sources are newer): a fraction of tsx's start-up. */
export const COMPILED_CLI = ['bin/meshtune.js'];

/** `meshtune …args` in a child process, from the repository's root. */
export function runCli(cli: readonly string[], ...args: string[]): CliResult {
  const r = spawnSync(process.execPath, [...cli, ...args], { encoding: 'utf8', cwd: process.cwd() });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Writes `text` to `dir/name` and returns the path. */
export function writeIn(dir: string, name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

/**
 * `meshtune …args` from the sources in a child process, without blocking the
 * test (which may kill it, with SIGKILL unless told, or talk to it
 * meanwhile), run from `cwd`.
 */
export function spawnCli(cwd: string, args: readonly string[]): { done: Promise<CliResult>; kill: (signal?: NodeJS.Signals) => void } {
  const child = spawn(process.execPath, [...SOURCE_CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<CliResult>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { done, kill: (signal = 'SIGKILL') => child.kill(signal) };
}
