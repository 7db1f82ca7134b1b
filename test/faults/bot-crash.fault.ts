import { reportFault } from './report';
import { numberedMessages, runningBotSystem, tally, waitFor } from './bot-system';

/**
 * A nurse writes 300 numbered messages to her open support ticket as fast as Telegram delivers them;
 * about a third in, the bot process is killed (kill -9) or stopped for a deploy (SIGTERM, with the
 * replacement starting at once), in polling and in webhook mode. Every message must reach the ticket
 * exactly once and in the order she wrote them.
 */
const COUNT = 300;
const sent = numberedMessages(COUNT);

describe.each([
  ['polling', 'SIGKILL'],
  ['polling', 'SIGTERM'],
  ['webhook', 'SIGKILL'],
  ['webhook', 'SIGTERM'],
] as const)('the bot (%s) gets %s mid-burst', (mode, signal) => {
  const system = runningBotSystem({ mode });

  it(`loses none of ${COUNT} messages and doubles none, in order`, async () => {
    const { user, ticketId } = await system.nurseWithTicket(8001);
    for (const text of sent) void user.sendText(text, { wait: false });
    const recorded = async () => (await system.relayed(ticketId)).recorded.length;
    await waitFor(async () => (await recorded()) >= COUNT / 3, 'a third relayed');

    const first = system.bots[0].process;
    const stoppedAt = Date.now();
    if (signal === 'SIGKILL') {
      await first.kill('SIGKILL');
      await system.startBot();
    } else {
      // A rolling deploy: the new process starts while the old one drains.
      const replacement = system.startBot();
      await first.kill('SIGTERM');
      process.stdout.write(`${mode}: SIGTERM to exit ${Date.now() - stoppedAt} ms\n`);
      await replacement;
    }

    // Everything arrives, or nothing more does for a minute.
    let last = -1;
    let quietSince = Date.now();
    await waitFor(
      async () => {
        const now = await recorded();
        if (now !== last) [last, quietSince] = [now, Date.now()];
        return now >= COUNT || Date.now() - quietSince > 60_000;
      },
      'the burst to settle',
      600_000,
    );
    const { queued, recorded: stored } = await system.relayed(ticketId);
    const toTopic = tally(sent, queued);
    const toRecord = tally(sent, stored);
    reportFault({
      fault: `${signal === 'SIGKILL' ? 'kill -9' : 'SIGTERM'} of the bot, ${mode}, after ~${COUNT / 3} of ${COUNT} messages to a ticket`,
      sent: COUNT,
      applied: toTopic.applied,
      lost: toTopic.lost,
      doubled: Math.max(toTopic.doubled, toRecord.doubled),
      doubledBound: 0,
    });
    expect(toTopic).toEqual({ sent: COUNT, applied: COUNT, lost: 0, doubled: 0, inOrder: true });
    expect(toRecord).toEqual({ sent: COUNT, applied: COUNT, lost: 0, doubled: 0, inOrder: true });
  });
});
