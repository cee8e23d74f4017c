import type { CodecKind } from '../scenario/types.js';
import { CODEC_CALIBRATION } from './codec-calibration.js';

/**
 * A compression codec as the model sees it: how many bytes a payload of a
 * given size becomes on the wire, and the CPU time to compress it at the
 * sender and decompress it at the receiver. Both come from the committed
 * calibration (scripts/calibrate-codecs.ts), interpolated linearly in
 * log(size) between the measured sizes and held flat beyond them. Payloads
 * smaller than `minBytes` are sent as they are.
 */
export class Codec {
  private readonly logSizes: number[];
  private readonly ratio: readonly number[];
  private readonly nsPerByte: number[];

  constructor(
    readonly kind: Exclude<CodecKind, 'none'>,
    readonly minBytes: number,
  ) {
    const cal = CODEC_CALIBRATION.codecs[kind];
    this.logSizes = CODEC_CALIBRATION.sizes.map((s) => Math.log(s));
    this.ratio = cal.ratio;
    this.nsPerByte = cal.compressNsPerByte.map((c, i) => c + cal.decompressNsPerByte[i]!);
  }

  /** True when a payload of `bytes` is compressed. */
  applies(bytes: number): boolean {
    return bytes >= this.minBytes && bytes > 0;
  }

  /** Bytes on the wire for a payload of `bytes`. */
  wireBytes(bytes: number): number {
    return bytes * this.interpolate(this.ratio, bytes);
  }

  /** CPU time to compress and decompress a payload of `bytes`, ms. */
  cpuMs(bytes: number): number {
    return (bytes * this.interpolate(this.nsPerByte, bytes)) / 1e6;
  }

  private interpolate(ys: readonly number[], bytes: number): number {
    const x = Math.log(bytes);
    const xs = this.logSizes;
    if (x <= xs[0]!) return ys[0]!;
    const last = xs.length - 1;
    if (x >= xs[last]!) return ys[last]!;
    let i = 1;
    while (xs[i]! < x) i++;
    const t = (x - xs[i - 1]!) / (xs[i]! - xs[i - 1]!);
    return ys[i - 1]! + t * (ys[i]! - ys[i - 1]!);
  }
}
