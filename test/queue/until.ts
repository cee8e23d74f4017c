const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `ok` every `pollMs` until it holds; throws naming `what` after `timeoutMs`. */
export async function until(what: string, ok: () => Promise<boolean> | boolean, timeoutMs = 10_000, pollMs = 50): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(pollMs);
  }
}
