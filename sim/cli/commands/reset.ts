import { RECOMMENDED_DEFAULTS, RECOMMENDED_NAME } from '../../study/recommended-defaults.js';
import { stringOption } from '../options.js';
import { checkOutputFile, writeOutput } from '../paths.js';
import { note, printJson } from '../output.js';

/**
 * `meshtune reset [--out F]`: the recommended defaults — the preset with the
 * best mean rank across the scenario library (scripts/derive-defaults.ts,
 * table in results/reset/defaults-table.md) — as a configuration file to
 * merge with `--config`, or on stdout.
 */
export function resetCommand(flags: { out?: unknown }): void {
  const outOption = stringOption(flags.out, '--out');
  const out = outOption === undefined ? undefined : checkOutputFile(outOption, '--out');
  const text = `${JSON.stringify(RECOMMENDED_DEFAULTS, null, 2)}\n`;
  if (out === undefined) {
    printJson(RECOMMENDED_DEFAULTS);
  } else {
    writeOutput(out, text, '--out');
    note(`wrote ${out}`);
  }
  note(`recommended defaults: ${RECOMMENDED_NAME} (best mean rank across the scenario library; see results/reset/defaults-table.md). Set timeouts per service: no default fits them all.`);
}
