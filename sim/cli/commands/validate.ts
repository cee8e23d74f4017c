import { FULL_VALIDATION, runValidation, type ValidationRow } from '../../validation/index.js';
import { sig } from '../../report/units.js';
import { VerdictFailure } from '../errors.js';
import { note, print, printJson } from '../output.js';

import { intOption } from '../options.js';

export function validateCommand(flags: { json?: boolean; messages?: unknown; replications?: unknown }): void {
  const opts = {
    ...FULL_VALIDATION,
    messages: intOption(flags.messages, '--messages', FULL_VALIDATION.messages, 1000, 1e9),
    replications: intOption(flags.replications, '--replications', FULL_VALIDATION.replications, 2, 1000),
  };
  const rows = runValidation({
    ...opts,
    onCase: (c) => note(`validated ${c.id}`),
  });
  const failed = rows.filter((r) => !r.pass);
  if (flags.json) printJson({ messagesPerCase: opts.messages, replications: opts.replications, rows, passed: failed.length === 0 });
  else print(validationTable(rows, opts.messages, opts.replications));
  if (failed.length > 0) throw new VerdictFailure(`${failed.length} of ${rows.length} validation checks failed`);
}

export function validationTable(rows: ValidationRow[], messages: number, replications: number): string {
  const head = `Simulated vs analytic — ${messages.toLocaleString('en-US')} messages per case over ${replications} replications; pass = analytic value inside the 95% CI and |error| ≤ 2% (tail quantiles: inside the CI)`;
  const lines = [
    head,
    '',
    '| case | metric | analytic | simulated | 95% CI | error | result |',
    '| --- | --- | ---: | ---: | --- | ---: | --- |',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.title} | ${r.metric} | ${sig(r.analytic, 5)} | ${sig(r.simulated, 5)} | [${sig(r.ci95[0], 5)}, ${sig(r.ci95[1], 5)}] | ${(r.relError * 100).toFixed(2)}% | ${r.pass ? (r.ciOnly ? 'pass (CI)' : 'pass') : r.inCi ? 'FAIL (error)' : 'FAIL (outside CI)'} |`,
    );
  }
  return lines.join('\n');
}
