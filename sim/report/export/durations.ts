/** A duration in ms as the protobuf-JSON duration string Envoy and Istio take ("0.250s"). */
export function protoDuration(ms: number): string {
  const s = ms / 1000;
  return `${Number(s.toFixed(6))}s`;
}
