/**
 * The Alibaba microservices trace v2021, MS_CallGraph_Table (GitHub
 * alibaba/clusterdata, cluster-trace-microservices-v2021/README.md): CSV with
 * a header, columns `timestamp` (ms), `traceid`, `rpcid` (or `rpc_id`),
 * `um` (the caller), `rpctype`, `interface`, `dm` (the callee), `rt` (ms);
 * optional `uminstanceid` / `dminstanceid`; other columns are ignored.
 *
 * A row is a call, not a span: rpcid `0.1.2` is called by the callee of
 * `0.1`. An RPC or HTTP call is recorded twice with the same rpcid: by the
 * caller with rt > 0 (its wait, network included) and by the callee with
 * rt < 0 (minus its own handling time). Each rpcid becomes one span of `dm`
 * lasting the callee's |rt| when recorded, else the caller's rt, starting at
 * `timestamp`. The entry service (the `um` of the top calls) has no row of
 * its own: it gets a span from its first call's start to its last call's end,
 * so its own time is not in the trace (the importer says so).
 */
import { InputError } from '../scenario/errors.js';
import type { Diagnostics } from './diagnostics.js';
import { readText } from './read-json.js';
import type { ReaderHooks } from './reader-hooks.js';
import { ENTRY_SPAN_PREFIX, type Span } from './span.js';

const REQUIRED = ['timestamp', 'traceid', 'rpcid', 'um', 'dm', 'rt'] as const;
const ALIASES: Record<string, string> = { rpc_id: 'rpcid', um_instanceid: 'uminstanceid', dm_instanceid: 'dminstanceid' };

interface Call {
  traceId: string;
  rpcId: string;
  um: string;
  dm: string;
  startMs: number;
  umRt: number;
  dmRt: number;
  dmInstance: string;
  umInstance: string;
  where: string;
}

/**
 * `onResolution` hears the time resolution of the file's calls: 1 ms when every
 * timestamp and rt is a whole number of milliseconds (the published trace's),
 * else 0. (A CSV is read whole: it takes no line sink.)
 */
export function readAlibaba(file: string, diag: Diagnostics, add: (s: Span) => void, { onResolution }: ReaderHooks = {}): void {
  const lines = readText(file).split('\n');
  const header = splitCsv(lines[0] ?? '').map((h) => {
    const k = h.trim().toLowerCase();
    return ALIASES[k] ?? k;
  });
  const col = (name: string): number => header.indexOf(name);
  const missing = REQUIRED.filter((c) => col(c) < 0);
  if (missing.length > 0) {
    throw new InputError(file, '', `expected the Alibaba v2021 call-graph CSV header (timestamp, traceid, rpcid, um, rpctype, dm, interface, rt); missing ${missing.join(', ')}`, 1);
  }
  const [cT, cTrace, cRpc, cUm, cDm, cRt] = REQUIRED.map(col) as [number, number, number, number, number, number];
  const cUi = col('uminstanceid');
  const cDi = col('dminstanceid');
  const calls = new Map<string, Call>();
  let wholeMs = true;
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === '') continue;
    const where = `${file}:${i + 1}`;
    const f = splitCsv(raw);
    const t = Number(f[cT]);
    const rt = Number(f[cRt]);
    const traceId = (f[cTrace] ?? '').trim();
    const rpcId = (f[cRpc] ?? '').trim();
    const um = (f[cUm] ?? '').trim();
    const dm = (f[cDm] ?? '').trim();
    if (!Number.isFinite(t) || !Number.isFinite(rt) || traceId === '' || !/^\d+(\.\d+)*$/.test(rpcId) || dm === '' || dm === '(?)' || um === '') {
      diag.add('malformed', where, 'expected timestamp and rt numbers, a traceid, an rpcid like 0.1.2, um and dm');
      continue;
    }
    wholeMs &&= Number.isInteger(t) && Number.isInteger(rt);
    const key = `${traceId}/${rpcId}`;
    let c = calls.get(key);
    if (c === undefined) {
      c = { traceId, rpcId, um, dm, startMs: t, umRt: NaN, dmRt: NaN, dmInstance: '', umInstance: '', where };
      calls.set(key, c);
    }
    // A call under a millisecond has rt 0 in both records (or −0 in the callee's): the
    // second 0 of a pair is the callee's, not a caller's duplicate.
    const callee = rt < 0 || Object.is(rt, -0) || (rt === 0 && !Number.isNaN(c.umRt) && Number.isNaN(c.dmRt));
    if (callee) {
      if (!Number.isNaN(c.dmRt)) diag.add('duplicate', where, `rpcid ${rpcId} recorded twice by its callee`);
      c.dmRt = -rt;
      if (cDi >= 0) c.dmInstance = (f[cDi] ?? '').trim();
    } else {
      // A 0 read first as the caller's was the callee's (a call under a millisecond), now that the caller's comes.
      if (c.umRt === 0 && rt > 0 && Number.isNaN(c.dmRt)) c.dmRt = 0;
      else if (!Number.isNaN(c.umRt)) diag.add('duplicate', where, `rpcid ${rpcId} recorded twice by its caller`);
      c.umRt = rt;
      c.startMs = Math.min(c.startMs, t);
      if (cUi >= 0) c.umInstance = (f[cUi] ?? '').trim();
      if (cDi >= 0 && c.dmInstance === '') c.dmInstance = (f[cDi] ?? '').trim();
    }
  }
  // Entry services: the caller of each trace's top-level calls (rpcid with one dot or none).
  const entries = new Map<string, Span>();
  for (const c of calls.values()) {
    const dur = Number.isNaN(c.dmRt) ? c.umRt : c.dmRt;
    const parentRpc = c.rpcId.includes('.') ? c.rpcId.slice(0, c.rpcId.lastIndexOf('.')) : '';
    const top = !calls.has(`${c.traceId}/${parentRpc}`);
    const parentId = top ? `${ENTRY_SPAN_PREFIX}${c.um}` : parentRpc;
    add({ traceId: c.traceId, spanId: c.rpcId, parentId, service: c.dm, instance: c.dmInstance, startMs: c.startMs, endMs: c.startMs + dur, error: false, bytes: -1, where: c.where });
    if (top) {
      const k = `${c.traceId}/${c.um}`;
      const e = entries.get(k);
      const end = c.startMs + (Number.isNaN(c.umRt) ? dur : c.umRt);
      if (e === undefined) {
        entries.set(k, { traceId: c.traceId, spanId: parentId, parentId: '', service: c.um, instance: c.umInstance, startMs: c.startMs, endMs: end, error: false, bytes: -1, where: c.where });
      } else {
        e.startMs = Math.min(e.startMs, c.startMs);
        e.endMs = Math.max(e.endMs, end);
      }
    }
  }
  for (const e of entries.values()) add(e);
  onResolution?.(wholeMs && calls.size > 0 ? 1 : 0);
}

/** One CSV line: commas, double quotes around fields that hold them. */
function splitCsv(line: string): string[] {
  const s = line.endsWith('\r') ? line.slice(0, -1) : line;
  if (!s.includes('"')) return s.split(',');
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}
