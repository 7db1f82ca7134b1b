import { reportFault } from './report';
import { numberedMessages, runningBotSystem, tally, waitFor } from './bot-system';

const OUTAGE_SECONDS = Number(process.env.FAULT_PG_OUTAGE_SECONDS ?? 10);
const UNAVAILABLE = 'Сервис ненадолго недоступен. Ваше сообщение не потеряется: мы ответим на него, как только всё снова заработает.';

/**
 * PostgreSQL stops for 10 s while a nurse writes to her ticket (the bot's side; the worker's side is
 * postgres-outage.fault.ts). Her messages are recorded in the update log, their handling is put off,
 * she is told once in her language, /ready says the database is why; when PostgreSQL is back every
 * message reaches the ticket once and in order.
 */
describe(`PostgreSQL stopped for ${OUTAGE_SECONDS} s under the bot`, () => {
  for (const mode of ['webhook', 'polling'] as const) {
    describe(mode, () => {
      const system = runningBotSystem({ mode });

      it('puts her messages off, tells her once, and relays them all in order', async () => {
        const { user, ticketId } = await system.nurseWithTicket(8301);
        const sent = numberedMessages(15);
        for (const text of sent.slice(0, 5)) await user.sendText(text);
        await waitFor(async () => (await system.relayed(ticketId)).recorded.length === 5, 'the first five relayed');

        await system.db.$disconnect();
        await system.stopPostgres();
        const stoppedAt = Date.now();
        const notices = () => user.messages().filter((m) => m.text === UNAVAILABLE).length;
        for (const text of sent.slice(5)) void user.sendText(text, { wait: false });
        await waitFor(() => notices() > 0, 'the unavailable notice', 60_000);
        const toldAfterMs = Date.now() - stoppedAt;
        const ready = await fetch(`${system.bots[0].baseUrl}/ready`);
        expect(ready.status).toBe(503);
        expect(JSON.stringify(await ready.json())).toMatch(/"database":"failed/);
        await new Promise((r) => setTimeout(r, Math.max(0, OUTAGE_SECONDS * 1000 - (Date.now() - stoppedAt))));
        await system.startPostgres();

        await waitFor(async () => (await system.relayed(ticketId)).recorded.length >= sent.length, 'every message relayed', 300_000);
        const { queued, recorded } = await system.relayed(ticketId);
        const outcome = tally(sent, queued);
        reportFault({
          fault: `PostgreSQL stopped ${OUTAGE_SECONDS} s under the bot, ${mode}, 10 of 15 messages sent during it (told after ${(toldAfterMs / 1000).toFixed(1)} s)`,
          sent: sent.length,
          applied: outcome.applied,
          lost: outcome.lost,
          doubled: Math.max(outcome.doubled, tally(sent, recorded).doubled),
          doubledBound: 0,
        });
        expect(outcome).toEqual({ sent: sent.length, applied: sent.length, lost: 0, doubled: 0, inOrder: true });
        expect(tally(sent, recorded)).toEqual(outcome);
        expect(notices()).toBe(1);
      });
    });
  }
});
