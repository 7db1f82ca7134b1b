/** Stops what test/global-setup.ts started (it runs in the same process and left a handle). */
export default async function globalTeardown(): Promise<void> {
  await globalThis.__NMO_TEST_SERVICES__?.stop();
}
