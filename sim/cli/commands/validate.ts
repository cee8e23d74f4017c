import { FULL_VALIDATION, runValidation, validationCases, type ValidationRow } from '../../validation/index.js';
import { sig } from '../../report/units.js';
import { UsageError, VerdictFailure } from '../errors.js';
import { note, print, printJson } from '../output.js';

import { intOption } from '../options.js';

export function validateCommand(flags: { json?: boolean; messages?: unknown; replications?: unknown }): void {
  const opts = {
    ...FULL_VALIDATION,
    messages: intOption(flags.messages, '--messages', FULL_VALIDATION.messages, 1000, 1e9),
    replications: intOption(flags.replications, '--replications', FULL_VALIDATION.replications, 2, 1000),
  };
  checkRunnable(opts.messages, opts.replications);
  const rows = runValidation({
    ...opts,
    onCase: (c) => note(`validated ${c.id}`),
  });
  const failed = rows.filter((r) => !r.pass);
  if (flags.json) printJson({ messagesPerCase: opts.messages, replications: opts.replications, rows, passed: failed.length === 0 });
  else print(validationTable(rows, opts.messages, opts.replications));
  if (failed.length > 0) throw new VerdictFailure(`${failed.length} of ${rows.length} validation checks failed`);
}

/**
 * Every case's replication must outlast its warm-up (1,000 service times, to
 * forget the empty start): fewer messages than that are a flag out of range,
 * said with the least that runs, not a case's scenario refused.
 */
function checkRunnable(messages: number, replications: number): void {
  const runs = (perReplication: number): boolean => {
    try {
      for (const c of validationCases()) c.scenario(perReplication);
      return true;
    } catch {
      return false;
    }
  };
  if (runs(messages / replications)) return;
  let lo = messages / replications;
  let hi = FULL_VALIDATION.messages;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (runs(mid)) hi = mid;
    else lo = mid;
  }
  const least = Math.ceil((hi * replications) / 1000) * 1000;
  throw new UsageError(`--messages: ${messages} over ${replications} replications is too few for every case to outlast its warm-up of 1,000 service times; expected at least ${least}`);
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
