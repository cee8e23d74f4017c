/**
 * The spans of open traces held in columns (typed arrays), not as objects:
 * a streamed import keeps the last idle window of traces (stream.ts), some
 * hundred thousand spans, and as objects every one of them was copied by the
 * young-generation collector before it died (a fifth of an import's time,
 * measured). A span is a slot; the slots of a trace are linked in arrival
 * order; a trace becomes Span objects only when it is folded into the
 * derivation, and those die young.
 *
 * Ids: a lowercase hex id of up to ID_BYTES digits is kept as its bytes; any
 * other id (longer, or not hex: the Alibaba CSV's) is kept as a code into a
 * table of strings (`names`), as are service and instance names. That table
 * grows with distinct names only.
 */
import type { Staged } from './otlp-scan.js';
import { withResend, type Span } from './span.js';

/** Hex digits of an id kept inline (OTLP trace ids are 32, span ids 16). */
export const ID_BYTES = 32;
/** Length marking an id kept as a code in `names` (its first 4 bytes). */
const NAMED = 255;

export class Names {
  readonly list: string[] = [];
  private readonly codes = new Map<string, number>();

  code(s: string): number {
    let c = this.codes.get(s);
    if (c === undefined) {
      c = this.list.length;
      this.list.push(s);
      this.codes.set(s, c);
    }
    return c;
  }
}

/** A lowercase hex id is written to `into` at `at` as its bytes (returns its length); any other as its code in `names` (returns NAMED). */
function putId(id: string, into: Uint8Array, at: number, names: Names): number {
  const n = id.length;
  if (n <= ID_BYTES) {
    let ok = true;
    for (let i = 0; i < n && ok; i++) {
      const c = id.charCodeAt(i);
      ok = (c >= 48 && c <= 57) || (c >= 97 && c <= 102);
      into[at + i] = c;
    }
    if (ok) return n;
  }
  const code = names.code(id);
  into[at] = code & 0xff;
  into[at + 1] = (code >>> 8) & 0xff;
  into[at + 2] = (code >>> 16) & 0xff;
  into[at + 3] = code >>> 24;
  return NAMED;
}

function getId(from: Latin1Buffer, at: number, len: number, names: Names): string {
  if (len === NAMED) return names.list[from[at]! | (from[at + 1]! << 8) | (from[at + 2]! << 16) | (from[at + 3]! << 24)]!;
  return len === 0 ? '' : from.latin1Slice(at, at + len);
}

/** Node's Buffer method behind toString('latin1', a, b), without its argument checks: ids are sliced twice a span. */
type Latin1Buffer = Buffer & { latin1Slice(from: number, to: number): string };

function bytes(n: number): Latin1Buffer {
  return Buffer.alloc(n) as Latin1Buffer;
}

function growBytes(a: Latin1Buffer, n: number): Latin1Buffer {
  const b = bytes(n);
  a.copy(b);
  return b;
}

/** Copies hex id bytes from a line, lowercased (`| 0x20` turns A–F into a–f and leaves digits). */
function copyHex(src: Buffer, from: number, len: number, into: Uint8Array, at: number): void {
  for (let i = 0; i < len; i++) into[at + i] = src[from + i]! | 0x20;
}

/**
 * Open traces and their spans. Traces keep the order in which their first
 * span arrived (as a Map keyed by trace id would), so that folding them in
 * gives what folding the span objects gave.
 */
export class SpanStore {
  readonly names = new Names();
  // Per slot.
  private start = new Float64Array(0);
  private end = new Float64Array(0);
  private bytes = new Float64Array(0);
  private error = new Uint8Array(0);
  /** `Span.resend` (0: a first try). */
  private resend = new Int32Array(0);
  private service = new Int32Array(0);
  private instance = new Int32Array(0);
  /** Places are strings held as they are: a line's for JSON Lines, but one a span for some formats (Jaeger's data[t].spans[i]). */
  private where: string[] = [];
  /** Next slot of the same trace (or of the free list); -1 at the end. */
  private next = new Int32Array(0);
  private spanLen = new Uint8Array(0);
  private parentLen = new Uint8Array(0);
  /** ID_BYTES for the span id, then ID_BYTES for the parent id, per slot. */
  private ids = bytes(0);
  private free = -1;
  private slots = 0;
  // Per open trace, in arrival order of their first span: records [0, traces).
  traces = 0;
  private head = new Int32Array(0);
  private tail = new Int32Array(0);
  /** Input time when its last span arrived. */
  lastSeen = new Float64Array(0);
  /** Its earliest span start. */
  minStart = new Float64Array(0);
  private keyLen = new Uint8Array(0);
  private keys = bytes(0);
  /** Open addressing: record + 1, 0 empty. */
  private table = new Int32Array(16);
  // The key being looked up.
  private readonly key = new Uint8Array(ID_BYTES);
  private keyN = 0;
  // One-entry caches: a resource's spans come together.
  private lastService = '';
  private lastServiceCode = -1;
  private lastInstance = '';
  private lastInstanceCode = -1;

  /** Input time: the latest span end added. */
  now = -Infinity;

  /** Adds a span. */
  addSpan(s: Span): void {
    const slot = this.slot();
    this.putFields(slot, s.service, s.instance, s.where, s.startMs, s.endMs, s.error, s.bytes, s.resend ?? 0);
    this.spanLen[slot] = putId(s.spanId, this.ids, slot * 2 * ID_BYTES, this.names);
    this.parentLen[slot] = putId(s.parentId, this.ids, slot * 2 * ID_BYTES + ID_BYTES, this.names);
    this.keyN = putId(s.traceId, this.key, 0, this.names);
    this.link(slot);
  }

  /**
   * Adds span i of a scanned line (otlp-scan.ts), whose hex ids are bytes of
   * the line. Read from the columns, not passed as arguments: a double passed
   * to a call that is not inlined is a heap allocation.
   */
  addStaged(buf: Buffer, st: Staged, i: number, where: string): void {
    const slot = this.slot();
    this.putFields(slot, st.service[i]!, st.instance[i]!, where, st.startMs[i]!, st.endMs[i]!, st.error[i] === 1, st.bytes[i]!, st.resend[i]!);
    const spanN = st.spanN[i]!;
    const parentN = st.parentN[i]!;
    const traceN = st.traceN[i]!;
    copyHex(buf, st.spanA[i]!, spanN, this.ids, slot * 2 * ID_BYTES);
    this.spanLen[slot] = spanN;
    copyHex(buf, st.parentA[i]!, parentN, this.ids, slot * 2 * ID_BYTES + ID_BYTES);
    this.parentLen[slot] = parentN;
    copyHex(buf, st.traceA[i]!, traceN, this.key, 0);
    this.keyN = traceN;
    this.link(slot);
  }

  /** Record r's spans as new objects, in arrival order; their slots are freed. */
  take(r: number): Span[] {
    return this.fill(r, []);
  }

  /**
   * As `take`, into span objects and a list reused by the next call: for a
   * caller done with them before it asks again (the derivation of one trace
   * keeps no span), so that a trace costs no span objects.
   */
  takeReused(r: number): Span[] {
    return this.fill(r, this.reused);
  }

  private readonly reused: Span[] = [];

  private fill(r: number, out: Span[]): Span[] {
    const names = this.names.list;
    const traceId = getId(this.keys, r * ID_BYTES, this.keyLen[r]!, this.names);
    const fresh = out.length === 0 && out !== this.reused;
    let k = 0;
    for (let s = this.head[r]!; s >= 0; k++) {
      const at = s * 2 * ID_BYTES;
      const spanId = getId(this.ids, at, this.spanLen[s]!, this.names);
      const parentId = getId(this.ids, at + ID_BYTES, this.parentLen[s]!, this.names);
      const o = fresh ? undefined : out[k];
      const resend = this.resend[s]!;
      if (o === undefined) {
        const span: Span = {
          traceId, spanId, parentId, service: names[this.service[s]!]!, instance: names[this.instance[s]!]!,
          startMs: this.start[s]!, endMs: this.end[s]!, error: this.error[s] === 1, bytes: this.bytes[s]!, where: this.where[s]!,
        };
        out[k] = withResend(span, resend);
      } else {
        o.traceId = traceId;
        o.spanId = spanId;
        o.parentId = parentId;
        o.service = names[this.service[s]!]!;
        o.instance = names[this.instance[s]!]!;
        o.startMs = this.start[s]!;
        o.endMs = this.end[s]!;
        o.error = this.error[s] === 1;
        o.bytes = this.bytes[s]!;
        o.where = this.where[s]!;
        // Retried tries are rare: a reused span drops the field rather than carry a 0 every span would.
        if (resend > 0) o.resend = resend;
        else if (o.resend !== undefined) delete o.resend;
      }
      this.where[s] = '';
      const n = this.next[s]!;
      this.next[s] = this.free;
      this.free = s;
      s = n;
    }
    out.length = k;
    return out;
  }

  /**
   * Keeps the records for which `keep` is true (in order) and drops the
   * others, which must have been taken; rebuilds the lookup table.
   */
  compact(keep: (r: number) => boolean): void {
    let w = 0;
    for (let r = 0; r < this.traces; r++) {
      if (!keep(r)) continue;
      if (w !== r) {
        this.head[w] = this.head[r]!;
        this.tail[w] = this.tail[r]!;
        this.lastSeen[w] = this.lastSeen[r]!;
        this.minStart[w] = this.minStart[r]!;
        this.keyLen[w] = this.keyLen[r]!;
        this.keys.copyWithin(w * ID_BYTES, r * ID_BYTES, (r + 1) * ID_BYTES);
      }
      w++;
    }
    this.traces = w;
    this.rehash(this.table.length);
  }

  private putFields(
    slot: number,
    service: string,
    instance: string,
    where: string,
    startMs: number,
    endMs: number,
    error: boolean,
    bytes: number,
    resend: number,
  ): void {
    if (service !== this.lastService || this.lastServiceCode < 0) {
      this.lastService = service;
      this.lastServiceCode = this.names.code(service);
    }
    if (instance !== this.lastInstance || this.lastInstanceCode < 0) {
      this.lastInstance = instance;
      this.lastInstanceCode = this.names.code(instance);
    }
    this.service[slot] = this.lastServiceCode;
    this.instance[slot] = this.lastInstanceCode;
    this.where[slot] = where;
    this.start[slot] = startMs;
    this.end[slot] = endMs;
    this.error[slot] = error ? 1 : 0;
    this.bytes[slot] = bytes;
    this.resend[slot] = resend;
    this.next[slot] = -1;
    if (endMs > this.now) this.now = endMs;
  }

  /** Appends the slot to the trace whose id is in `key` (a new record when none is open). */
  private link(slot: number): void {
    const startMs = this.start[slot]!;
    const now = this.now;
    const mask = this.table.length - 1;
    let h = this.hashKey() & mask;
    for (;;) {
      const e = this.table[h]!;
      if (e === 0) break;
      const r = e - 1;
      if (this.sameKey(r)) {
        this.next[this.tail[r]!] = slot;
        this.tail[r] = slot;
        this.lastSeen[r] = now;
        if (startMs < this.minStart[r]!) this.minStart[r] = startMs;
        return;
      }
      h = (h + 1) & mask;
    }
    const r = this.traces++;
    if (r >= this.head.length) this.growTraces();
    this.head[r] = slot;
    this.tail[r] = slot;
    this.lastSeen[r] = now;
    this.minStart[r] = startMs;
    this.keyLen[r] = this.keyN;
    this.keys.set(this.key.subarray(0, this.keyN === NAMED ? 4 : this.keyN), r * ID_BYTES);
    if (this.traces * 2 > this.table.length) this.rehash(this.table.length * 2);
    else this.table[h] = r + 1;
  }

  private hashKey(): number {
    // FNV-1a over the id's bytes and its length.
    const n = this.keyN === NAMED ? 4 : this.keyN;
    let h = 0x811c9dc5 ^ this.keyN;
    for (let i = 0; i < n; i++) h = Math.imul(h ^ this.key[i]!, 0x01000193);
    return h >>> 0;
  }

  private sameKey(r: number): boolean {
    if (this.keyLen[r] !== this.keyN) return false;
    const n = this.keyN === NAMED ? 4 : this.keyN;
    const at = r * ID_BYTES;
    for (let i = 0; i < n; i++) if (this.keys[at + i] !== this.key[i]) return false;
    return true;
  }

  private rehash(size: number): void {
    let n = size;
    while (this.traces * 2 > n) n *= 2;
    this.table = new Int32Array(n);
    const mask = n - 1;
    for (let r = 0; r < this.traces; r++) {
      this.keyN = this.keyLen[r]!;
      this.key.set(this.keys.subarray(r * ID_BYTES, r * ID_BYTES + (this.keyN === NAMED ? 4 : this.keyN)));
      let h = this.hashKey() & mask;
      while (this.table[h] !== 0) h = (h + 1) & mask;
      this.table[h] = r + 1;
    }
  }

  private slot(): number {
    if (this.free < 0) this.growSlots();
    const s = this.free;
    this.free = this.next[s]!;
    return s;
  }

  private growSlots(): void {
    const old = this.slots;
    const n = Math.max(1024, old * 2);
    this.start = grow(this.start, n);
    this.end = grow(this.end, n);
    this.bytes = grow(this.bytes, n);
    this.error = grow(this.error, n);
    this.resend = grow(this.resend, n);
    this.service = grow(this.service, n);
    this.instance = grow(this.instance, n);
    for (let i = old; i < n; i++) this.where.push('');
    this.next = grow(this.next, n);
    this.spanLen = grow(this.spanLen, n);
    this.parentLen = grow(this.parentLen, n);
    this.ids = growBytes(this.ids, n * 2 * ID_BYTES);
    // The new slots, in order, become the free list.
    for (let s = old; s < n; s++) this.next[s] = s + 1 < n ? s + 1 : this.free;
    this.free = old;
    this.slots = n;
  }

  private growTraces(): void {
    const n = Math.max(256, this.head.length * 2);
    this.head = grow(this.head, n);
    this.tail = grow(this.tail, n);
    this.lastSeen = grow(this.lastSeen, n);
    this.minStart = grow(this.minStart, n);
    this.keyLen = grow(this.keyLen, n);
    this.keys = growBytes(this.keys, n * ID_BYTES);
  }
}

function grow<T extends Float64Array | Int32Array | Uint8Array>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}
