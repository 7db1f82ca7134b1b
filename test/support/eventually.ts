/**
 * Waits until `check` holds. Messages the worker sends from the outbound queue (relays into the support
 * group, agents' answers) arrive some time after the action that queued them, paced by per-chat limits.
 */
export async function waitUntil(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
