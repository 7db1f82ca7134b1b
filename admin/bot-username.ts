/**
 * The bot's @username, for invite deep links. Asked of the Bot API (getMe) once per process: the token
 * is configured anyway, and a username typed by hand could point staff at someone else's bot.
 */
export function botUsernameFromTelegram(token: string, apiRoot: string): () => Promise<string> {
  let pending: Promise<string> | null = null;
  const ask = async (): Promise<string> => {
    const response = await fetch(`${apiRoot.replace(/\/$/, '')}/bot${token}/getMe`, { signal: AbortSignal.timeout(10_000) });
    const body = (await response.json()) as { ok?: boolean; result?: { username?: string } };
    if (!body.ok || !body.result?.username) throw new Error(`getMe answered ${response.status}`);
    return body.result.username;
  };
  return () => {
    pending ??= ask().catch((error: unknown) => {
      pending = null; // a network hiccup must not stick
      throw error;
    });
    return pending;
  };
}
