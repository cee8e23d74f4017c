/**
 * Progress of a long run on stderr: nothing for a run that ends within a
 * couple of seconds, then a line every few seconds (rewritten in place on a
 * terminal) saying how far through its simulated time it is.
 */
import type { RunProgress } from '../model/index.js';
import type { CompileProgress } from '../runner/index.js';
import { note } from './output.js';

const QUIET_MS = 2000;
const EVERY_MS = 5000;
/**
 * From this many agents the build of the topology and its routes is said
 * before it starts: it runs in one piece, with nothing to report meanwhile,
 * for seconds (hub labels of 100,000 scale-free agents: about 12 s).
 */
export const NOTICE_AGENTS = 20_000;

/** How routes are found, in words. */
const ROUTING: Record<NonNullable<CompileProgress['routing']>, string> = {
  arithmetic: 'arithmetic',
  tree: 'a tree walk',
  labels: 'hub labels',
  search: 'a search per pair',
  bfs: 'a BFS per destination',
};

export function runProgress(label: string): {
  onProgress: (p: RunProgress & { replication: number; replications: number }) => void;
  onCompile: (p: CompileProgress) => void;
  done: () => void;
} {
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
    onCompile: (p) => {
      if (p.agents < NOTICE_AGENTS) return;
      const agents = p.agents.toLocaleString('en-US');
      if (p.ms === null) note(`meshtune: ${label}: building the topology and routes of ${agents} agents…`);
      else if (p.routing !== null) note(`meshtune: ${label}: built in ${(p.ms / 1000).toFixed(1)} s; routes by ${ROUTING[p.routing]}`);
    },
    done: () => {
      if (shown && tty) process.stderr.write('\r\u001b[K');
    },
  };
}
