import { execFileSync } from 'node:child_process';
import os from 'node:os';

/** The machine and code a benchmark ran on; every results file carries one. */
export interface BenchEnv {
  /** Node version, e.g. `v20.20.2`. */
  node: string;
  /** CPU model string as the OS reports it. */
  cpu: string;
  /** Logical cores available to the process. */
  cores: number;
  /** OS type, release and architecture. */
  os: string;
  /** ISO 8601 timestamp of the run (UTC). */
  date: string;
  /** Short hash of the checked-out commit, or `unknown` outside a git work tree. */
  commit: string;
}

/** Reads the environment; `cwd` picks the git work tree (default: the process's). */
export function collectEnv(cwd: string = process.cwd()): BenchEnv {
  const cpus = os.cpus();
  return {
    node: process.version,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString(),
    commit: gitCommit(cwd),
  };
}

function gitCommit(cwd: string): string {
  try {
    const out = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5000,
    });
    return out.trim() || 'unknown';
  } catch {
    return 'unknown';
  }
}
