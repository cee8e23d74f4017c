/**
 * Progress of a long run on stderr: nothing for a run that ends within a
 * couple of seconds, then a line every few seconds (rewritten in place on a
 * terminal) saying how far through its simulated time it is.
 */
import type { RunProgress } from '../model/index.js';
import { note } from './output.js';

const QUIET_MS = 2000;
const EVERY_MS = 5000;

export function runProgress(label: string): { onProgress: (p: RunProgress & { replication: number; replications: number }) => void; done: () => void } {
  const started = Date.now();
  let last = 0;
  let shown = false;
  const tty = process.stderr.isTTY === true;
  return {
    onProgress: (p) => {
      const now = Date.now();
      if (now - started < QUIET_MS || now - last < (tty ? 500 : EVERY_MS)) return;
      last = now;
      const share = p.endMs > 0 ? Math.min(1, p.simMs / p.endMs) : 0;
      const rep = p.replications > 1 ? `replication ${p.replication + 1}/${p.replications}, ` : '';
      const line = `meshtune: ${label}: ${rep}${(share * 100).toFixed(0)}% of simulated time, ${(p.events / 1e6).toFixed(1)} M events, ${((now - started) / 1000).toFixed(0)} s`;
      if (tty) process.stderr.write(`\r${line}\u001b[K`);
      else note(line);
      shown = true;
    },
    done: () => {
      if (shown && tty) process.stderr.write('\r\u001b[K');
    },
  };
}
