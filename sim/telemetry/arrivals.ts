/**
 * The arrival process of root requests. The rate is requests / window. Bursts
 * are judged by the index of dispersion of counts (IDC = variance / mean of
 * the counts in bins holding about 10 arrivals each, at least 10 bins): a
 * Poisson process has IDC 1, and (bins − 1)·IDC is then χ² with bins − 1
 * degrees of freedom; above its 99% quantile the arrivals are bursty and a
 * two-state MMPP is fitted: the bins are split into a low and a high state by
 * 2-means on their counts, each state's rate is its bins' mean count per bin
 * width, and its mean sojourn is the mean length of its runs of bins (after a
 * 3-bin majority filter, so that one noisy bin does not split a run).
 */
export interface Arrivals {
  count: number;
  windowMs: number;
  ratePerSec: number;
  binMs: number;
  bins: number;
  idc: number;
  /** The 99% point of IDC under Poisson arrivals. */
  idcCritical: number;
  /** Present when the IDC says bursty and both states were seen. */
  mmpp: { rate: number; burstRate: number; meanBurstMs: number; meanGapMs: number } | null;
}

const PER_BIN = 10;
const MIN_BINS = 10;

export function fitArrivals(sortedStartsMs: readonly number[], windowMs: number): Arrivals {
  const count = sortedStartsMs.length;
  const ratePerSec = windowMs > 0 ? (count / windowMs) * 1000 : 0;
  const base = { count, windowMs, ratePerSec, binMs: windowMs, bins: 1, idc: 1, idcCritical: Infinity, mmpp: null };
  if (count < PER_BIN * MIN_BINS || windowMs <= 0) return base;
  const bins = Math.max(MIN_BINS, Math.floor(count / PER_BIN));
  const binMs = windowMs / bins;
  const t0 = sortedStartsMs[0]!;
  const counts = new Float64Array(bins);
  for (const t of sortedStartsMs) counts[Math.min(bins - 1, Math.floor((t - t0) / binMs))]!++;
  const mean = count / bins;
  let ss = 0;
  for (const c of counts) ss += (c - mean) ** 2;
  const idc = ss / (bins - 1) / mean;
  const nu = bins - 1;
  const z = 2.326; // 99% one-sided normal point, Wilson–Hilferty approximation of the χ² quantile.
  const idcCritical = (1 - 2 / (9 * nu) + z * Math.sqrt(2 / (9 * nu))) ** 3;
  const out: Arrivals = { ...base, binMs, bins, idc, idcCritical };
  if (idc > idcCritical) out.mmpp = fitMmpp(counts, binMs);
  return out;
}

function fitMmpp(counts: Float64Array, binMs: number): Arrivals['mmpp'] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const c of counts) {
    lo = Math.min(lo, c);
    hi = Math.max(hi, c);
  }
  const high = new Uint8Array(counts.length);
  for (let iter = 0; iter < 50; iter++) {
    const cut = (lo + hi) / 2;
    let sl = 0, nl = 0, sh = 0, nh = 0;
    counts.forEach((c, i) => {
      high[i] = c > cut ? 1 : 0;
      if (c > cut) { sh += c; nh++; } else { sl += c; nl++; }
    });
    if (nl === 0 || nh === 0) return null;
    const [l2, h2] = [sl / nl, sh / nh];
    if (l2 === lo && h2 === hi) break;
    [lo, hi] = [l2, h2];
  }
  // A lone bin of the other state inside a run is noise (a high-state bin
  // drawing few arrivals), not a state change: a 3-bin majority filter removes it.
  const raw = high.slice();
  for (let i = 1; i + 1 < raw.length; i++) if (raw[i - 1] === raw[i + 1] && raw[i] !== raw[i - 1]) high[i] = raw[i - 1]!;
  const runs = [[] as number[], [] as number[]];
  let run = 1;
  for (let i = 1; i <= counts.length; i++) {
    if (i < counts.length && high[i] === high[i - 1]) run++;
    else {
      runs[high[i - 1]!]!.push(run);
      run = 1;
    }
  }
  const avg = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  return {
    rate: (lo / binMs) * 1000,
    burstRate: (hi / binMs) * 1000,
    meanBurstMs: avg(runs[1]!) * binMs,
    meanGapMs: avg(runs[0]!) * binMs,
  };
}
