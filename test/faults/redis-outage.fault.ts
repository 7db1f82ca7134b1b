import { reportFault } from './report';
import { numberedMessages, runningBotSystem, tally, waitFor } from './bot-system';

const OUTAGE_SECONDS = Number(process.env.FAULT_REDIS_OUTAGE_SECONDS ?? 30);
const UNAVAILABLE = 'Сервис ненадолго недоступен. Ваше сообщение не потеряется: мы ответим на него, как только всё снова заработает.';

/**
 * Redis (the update log, sessions, queues) stops for 30 s while a nurse keeps writing to her ticket.
 * The webhook cannot record her messages and answers 503, so Telegram keeps them and delivers them again;
 * she is told at once, in her language, that the service is briefly unavailable and nothing is lost.
 * When Redis is back every message arrives, once and in order, and the bot logged the outage once per
 * client rather than once per retry.
 */
describe(`Redis stopped for ${OUTAGE_SECONDS} s`, () => {
  const system = runningBotSystem({ mode: 'webhook' });

  it('loses nothing, doubles nothing, and tells her once', async () => {
    const { user, ticketId } = await system.nurseWithTicket(8201);
    const sent = numberedMessages(30);
    for (const text of sent.slice(0, 10)) await user.sendText(text);
    await waitFor(async () => (await system.relayed(ticketId)).recorded.length === 10, 'the first ten relayed');

    await system.stopRedis();
    const stoppedAt = Date.now();
    const notices = () => user.messages().filter((m) => m.text === UNAVAILABLE).length;
    for (const text of sent.slice(10)) void user.sendText(text, { wait: false });
    await waitFor(() => notices() > 0, 'the unavailable notice', 60_000);
    const toldAfterMs = Date.now() - stoppedAt;
    await new Promise((r) => setTimeout(r, Math.max(0, OUTAGE_SECONDS * 1000 - (Date.now() - stoppedAt))));
    await system.startRedis();

    await waitFor(async () => (await system.relayed(ticketId)).recorded.length >= sent.length, 'every message relayed', 300_000);
    const { queued, recorded } = await system.relayed(ticketId);
    const outcome = tally(sent, queued);
    reportFault({
      fault: `Redis stopped ${OUTAGE_SECONDS} s, webhook, 20 of 30 messages sent during it (told after ${(toldAfterMs / 1000).toFixed(1)} s)`,
      sent: sent.length,
      applied: outcome.applied,
      lost: outcome.lost,
      doubled: Math.max(outcome.doubled, tally(sent, recorded).doubled),
      doubledBound: 0,
    });
    expect(outcome).toEqual({ sent: sent.length, applied: sent.length, lost: 0, doubled: 0, inOrder: true });
    expect(tally(sent, recorded)).toEqual(outcome);
    expect(notices()).toBe(1);
    // One line per client when Redis went away, not a stack trace per reconnection attempt.
    const outageLines = system.bots[0].process.lines.filter((line) => /Redis unreachable|update log: Redis unreachable/.test(line));
    expect(outageLines.length).toBeGreaterThan(0);
    expect(outageLines.length).toBeLessThanOrEqual(8);
    expect(system.bots[0].process.lines.filter((line) => line.includes('[ioredis] Unhandled error event'))).toEqual([]);
  });
});
