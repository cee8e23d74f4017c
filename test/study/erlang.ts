/**
 * M/M/c figures computed for the study tests (not a test file). One replica
 * whose c worker slots share its queue is an M/M/c queue (SPEC §4). Its time
 * in system T is the Erlang C wait W plus an exponential service S, FCFS:
 * with probability 1 − C(c, a) no wait, else W ~ Exp(cμ − λ); so
 *
 *   P(T > t) = (1 − C) e^{−μt} + C · P(W + S > t),
 *   P(W + S > t) = (θ e^{−μt} − μ e^{−θt}) / (θ − μ),  θ = cμ − λ ≠ μ.
 */

/** Erlang C: the probability that an arrival waits, c servers, offered load a = λ/μ. */
export function erlangC(c: number, a: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 1; k < c; k++) {
    term *= a / k;
    sum += term;
  }
  const top = ((term * a) / c) * (c / (c - a));
  return top / (sum + top);
}

/** P(T > t) in M/M/c (rates per second, t in seconds); 1 when unstable. */
export function sojournTail(c: number, lambda: number, mu: number, t: number): number {
  const a = lambda / mu;
  if (c <= a) return 1;
  const C = erlangC(c, a);
  const theta = c * mu - lambda;
  const waitAndServe = Math.abs(theta - mu) < 1e-12 ? (1 + mu * t) * Math.exp(-mu * t) : (theta * Math.exp(-mu * t) - mu * Math.exp(-theta * t)) / (theta - mu);
  return (1 - C) * Math.exp(-mu * t) + C * waitAndServe;
}

/** The fewest slots c whose p99 time in system is within `t` seconds: P(T > t) ≤ 1%. */
export function fewestSlots(lambda: number, mu: number, t: number): number {
  let c = 1;
  while (sojournTail(c, lambda, mu, t) > 0.01) c++;
  return c;
}
