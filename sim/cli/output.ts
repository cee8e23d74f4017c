/**
 * The CLI's only doors to the terminal. `--json` commands write exactly one
 * JSON document to stdout; everything for humans (progress, notes) goes to
 * stderr, so stdout stays machine-readable.
 */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function print(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function note(text: string): void {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}
