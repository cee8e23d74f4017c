/**
 * Durations and numbers as the targets read them. Envoy and Istio take a
 * protobuf Duration string (`"0.25s"`): no exponent, and Istio refuses
 * anything under a millisecond. A `0s` timeout turns the timeout off in
 * Envoy, the opposite of a short one, so a duration below the resolution is
 * raised to 1 ms and the notes say so.
 */

/** Resolution of exported durations, ms. */
export const RESOLUTION_MS = 1;

/** `ms` as a Duration string at millisecond resolution (at least 1 ms), noting any change. */
export function exportDuration(ms: number, knob: string, notes: string[]): string {
  let whole = Math.round(ms / RESOLUTION_MS) * RESOLUTION_MS;
  if (whole < RESOLUTION_MS) {
    notes.push(`${knob} ${ms} ms is below the targets' 1 ms resolution; exported as 1ms (0s would turn it off).`);
    whole = RESOLUTION_MS;
  } else if (whole !== ms) {
    notes.push(`${knob} ${ms} ms rounded to ${whole} ms (the targets' resolution).`);
  }
  return protoDuration(whole);
}

/** A duration in whole ms as the protobuf-JSON duration string ("0.25s", "30s"); never an exponent. */
export function protoDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const frac = Math.round(ms - seconds * 1000);
  return frac === 0 ? `${seconds}s` : `${seconds}.${String(frac).padStart(3, '0').replace(/0+$/, '')}s`;
}

/** `value` clamped to [min, max], noting a change. */
export function clampNumber(value: number, min: number, max: number, knob: string, notes: string[]): number {
  if (value > max) {
    notes.push(`${knob} ${value} is above the target's limit; exported as ${max}.`);
    return max;
  }
  if (value < min) {
    notes.push(`${knob} ${value} is below the target's minimum; exported as ${min}.`);
    return min;
  }
  return value;
}
