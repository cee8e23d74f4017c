import { FULL_VALIDATION, runValidation, type ValidationRow } from '../validation/index.js';
import { checkInt } from './options.js';

export interface ValidateOptions {
  /** Messages per case (default 1,000,000, SPEC §8). */
  messages?: number;
  /** Replications per case (default 10). */
  replications?: number;
  onCase?: (id: string) => void;
}

export interface ValidationReport {
  messagesPerCase: number;
  replications: number;
  rows: ValidationRow[];
  passed: boolean;
}

/** The model against queueing theory (`meshtune validate`, SPEC §8). */
export function validate(opts: ValidateOptions = {}): ValidationReport {
  const messages = opts.messages === undefined ? FULL_VALIDATION.messages : checkInt(opts.messages, 'messages', 1000, 1e9);
  const replications = opts.replications === undefined ? FULL_VALIDATION.replications : checkInt(opts.replications, 'replications', 2, 1000);
  const onCase = opts.onCase;
  const rows = runValidation({ ...FULL_VALIDATION, messages, replications, ...(onCase ? { onCase: (c: { id: string }) => onCase(c.id) } : {}) });
  return { messagesPerCase: messages, replications, rows, passed: rows.every((r) => r.pass) };
}
