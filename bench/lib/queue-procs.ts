/**
 * The queue benchmark's processes: `meshtune worker`s and `meshtune optimize`
 * run as a user runs them, from the build (dist/), each in a process of its
 * own, so what is timed holds process start, Redis and every hop between.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

export function cliMain(root: string): string {
  return path.join(root, 'dist', 'sim', 'cli', 'main.js');
}

/** The 1-, 5- and 15-minute load averages, as `uptime` prints them. */
export function loadNow(): [number, number, number] {
  const [a, b, c] = os.loadavg();
  return [round2(a!), round2(b!), round2(c!)];
}

export const round2 = (x: number): number => Math.round(x * 100) / 100;

export interface WorkerProcess {
  lines: string[];
  /** SIGTERM, then what it did: its last line, `N simulations done, M events`. */
  stop(): Promise<{ simulations: number; events: number }>;
}

/** A `meshtune worker` on `url`; resolves once it waits for studies. */
export async function startWorker(root: string, url: string, env: NodeJS.ProcessEnv, concurrency: number): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [cliMain(root), 'worker', '--queue', url, '--concurrency', String(concurrency)], {
    cwd: root,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const lines: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    let buf = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (d: string) => {
      buf += d;
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        lines.push(line);
        if (line.includes('waiting for studies')) resolve();
      }
    });
    void exited.then((code) => reject(new Error(`meshtune worker exited (${code}) before it was ready: ${lines.join(' / ')}`)));
  });
  return {
    lines,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      const last = lines.find((l) => / simulations? done, \d+ events$/.test(l));
      const m = last === undefined ? null : /(\d+) simulations? done, (\d+) events$/.exec(last);
      if (m === null) throw new Error(`meshtune worker said no count: ${lines.join(' / ')}`);
      return { simulations: Number(m[1]), events: Number(m[2]) };
    },
  };
}

export interface CliRun {
  wallMs: number;
  stdout: string;
  stderr: string;
}

/**
 * One `meshtune …` to its end; throws when it fails. Exit 1 is a verdict
 * (a study whose winner still misses the SLO), not a failure.
 */
export function runCli(root: string, args: string[], env: NodeJS.ProcessEnv, okCodes: readonly number[] = [0, 1]): Promise<CliRun> {
  const t0 = performance.now();
  const child: ChildProcess = spawn(process.execPath, [cliMain(root), ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => {
      const wallMs = performance.now() - t0;
      if (code !== null && okCodes.includes(code)) resolve({ wallMs, stdout, stderr });
      else reject(new Error(`meshtune ${args.join(' ')} exited ${code}: ${stderr.trim().split('\n').slice(-3).join(' / ')}`));
    });
  });
}
