/** Bad command-line input: printed as one line, exit code 2 (SPEC §3). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A gate or a constraint failed: the command ran, its verdict is "no" (exit 1). */
export class VerdictFailure extends Error {
  override readonly name = 'VerdictFailure';
}

export const EXIT_OK = 0;
export const EXIT_VERDICT = 1;
export const EXIT_INPUT = 2;
