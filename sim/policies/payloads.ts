import { pack } from 'msgpackr';
import { Stream } from '../engine/rng.js';

/**
 * Representative payloads of an agent mesh, serialised with msgpackr as a
 * real mesh would put them on the wire: an envelope (ids, role, task, model
 * parameters, timing) around natural-language content drawn from a Zipf
 * distribution over a 4,000-word vocabulary (the shape of English text:
 * Zipf, s ≈ 1.07), with numbers and identifiers mixed in. Deterministic from
 * `seed`, so compression ratios computed from them are reproducible.
 */
export function agentPayload(bytes: number, seed: number): Uint8Array {
  const rng = new Stream(seed, 77);
  const vocab = vocabulary();
  const envelope = {
    id: rng.int(1e9),
    traceId: rng.int(2 ** 31).toString(16).padStart(8, '0') + rng.int(2 ** 31).toString(16).padStart(8, '0'),
    from: `worker#${rng.int(480)}`,
    to: `reviewer#${rng.int(16)}`,
    kind: ['task', 'result', 'tool-call', 'observation'][rng.int(4)],
    model: { name: 'llm-large', temperature: 0.7, maxTokens: 1024 },
    usage: { promptTokens: rng.int(4000), completionTokens: rng.int(800) },
    sentAtMs: 1_700_000_000_000 + rng.int(1e9),
    content: '',
  };
  const words: string[] = [];
  let packed = pack(envelope);
  while (packed.length < bytes) {
    // Grow in steps to keep the loop short for large payloads.
    const step = Math.max(8, Math.ceil((bytes - packed.length) / 6));
    for (let i = 0; i < step; i++) {
      const r = rng.next();
      if (r < 0.03) words.push(String(rng.int(100_000)));
      else if (r < 0.04) words.push(`id_${rng.int(2 ** 31).toString(36)}`);
      else words.push(vocab[zipf(rng, vocab.length)]!);
    }
    envelope.content = words.join(' ');
    packed = pack(envelope);
  }
  return packed.subarray(0, Math.max(bytes, 1));
}

let cachedVocab: string[] | null = null;

/** 4,000 pseudo-words of 2–10 letters, letters drawn with English frequencies. */
function vocabulary(): string[] {
  if (cachedVocab) return cachedVocab;
  const rng = new Stream(12345, 78);
  const letters = 'eeeeeeeeeeeetttttttttaaaaaaaaoooooooiiiiiiinnnnnnnsssssshhhhhhrrrrrrddddllllcccuuummwwffggyyppbbvkjxqz';
  const vocab = new Set<string>();
  while (vocab.size < 4000) {
    const len = 2 + Math.min(8, Math.floor(-Math.log(1 - rng.next()) * 3));
    let w = '';
    for (let i = 0; i < len; i++) w += letters[rng.int(letters.length)];
    vocab.add(w);
  }
  cachedVocab = [...vocab];
  return cachedVocab;
}

/** Zipf rank in [0, n) with exponent 1.07, by inversion of the continuous approximation. */
function zipf(rng: Stream, n: number): number {
  const s = 1.07;
  const u = rng.next();
  // CDF of a continuous power law on [1, n+1): F(x) = (x^(1−s) − 1) / ((n+1)^(1−s) − 1).
  const a = 1 - s;
  const x = Math.pow(u * (Math.pow(n + 1, a) - 1) + 1, 1 / a);
  return Math.min(n - 1, Math.floor(x) - 1);
}
