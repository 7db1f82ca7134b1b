import { Redis } from 'ioredis';
import type { Update } from 'grammy/types';
import { reportFault } from './report';
import { runningBotSystem, tally, waitFor } from './bot-system';

/**
 * Telegram delivers one update four times: twice at once (two webhook requests in flight together, as
 * after a timeout), then twice more; and once more after its record in the update log was lost (as after
 * a Redis flush), when only the applied-once mark in PostgreSQL stands between it and a second relay.
 */
describe('the same update delivered again and again', () => {
  const system = runningBotSystem({ mode: 'webhook' });

  it('reaches the ticket once', async () => {
    const { user, ticketId } = await system.nurseWithTicket(8101);
    const update = await user.sendText('одно сообщение');
    await waitFor(async () => (await system.relayed(ticketId)).recorded.length === 1, 'the message relayed');

    const post = (u: Update) =>
      fetch(system.env.WEBHOOK_URL, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': system.env.WEBHOOK_SECRET },
        body: JSON.stringify(u),
      });
    const together = await Promise.all([post(update), post(update)]);
    expect(together.map((r) => r.status)).toEqual([200, 200]);
    await system.standin.deliverRaw(update);
    await system.standin.deliverRaw(update);

    // Its record lost: the log takes it again, and the handler meets its own applied-once mark.
    const redis = new Redis(system.env.REDIS_URL);
    try {
      const botId = system.env.TELEGRAM_BOT_TOKEN.split(':')[0];
      await redis.hdel(`nmo:intake:${botId}:seen:${Math.floor(update.update_id / 128)}`, String(update.update_id % 128));
    } finally {
      redis.disconnect();
    }
    await system.standin.deliverRaw(update);
    // A later message is relayed after anything queued before it: once it is there, a repeat would be too.
    await user.sendText('следующее сообщение');
    await waitFor(async () => (await system.relayed(ticketId)).recorded.includes('следующее сообщение'), 'the next message');

    const { queued, recorded } = await system.relayed(ticketId);
    const sent = ['одно сообщение', 'следующее сообщение'];
    const outcome = tally(sent, queued);
    reportFault({
      fault: 'the same update delivered 4 times (2 at once), then again after its record was lost',
      sent: 1,
      applied: outcome.applied - 1,
      lost: outcome.lost,
      doubled: Math.max(outcome.doubled, tally(sent, recorded).doubled),
      doubledBound: 0,
    });
    expect(outcome).toEqual({ sent: 2, applied: 2, lost: 0, doubled: 0, inOrder: true });
    expect(tally(sent, recorded)).toEqual(outcome);
  });
});
