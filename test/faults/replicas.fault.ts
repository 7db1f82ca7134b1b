import { reportFault } from './report';
import { numberedMessages, runningBotSystem, tally, waitFor } from './bot-system';

/**
 * Two bot processes behind one webhook URL (a round-robin balancer in front), three nurses writing 100
 * numbered messages each to their tickets at once. Either process may receive any update; each chat's
 * messages are still handled one at a time, in order, by one process. A third in, one replica is
 * killed (kill -9): the other takes its shards over when their leases expire, with what it left half
 * way. Every message reaches its ticket once, in order.
 */
const PER_NURSE = 100;

describe('two replicas behind one webhook URL, one killed mid-burst', () => {
  const system = runningBotSystem({ mode: 'webhook' }, 2);

  it('keeps every chat in order and handles each update once', async () => {
    const nurses = await Promise.all([8401, 8402, 8403].map((id) => system.nurseWithTicket(id)));
    const sent = (n: number) => numberedMessages(PER_NURSE, `медсестра ${n}:`);
    for (let i = 0; i < PER_NURSE; i++) nurses.forEach(({ user }, n) => void user.sendText(sent(n)[i], { wait: false }));
    const total = async () => {
      let sum = 0;
      for (const { ticketId } of nurses) sum += (await system.relayed(ticketId)).recorded.length;
      return sum;
    };
    await waitFor(async () => (await total()) >= PER_NURSE, 'a third relayed');
    // Both took part before the kill.
    expect(system.proxy.served.size).toBe(2);
    await system.bots[0].process.kill('SIGKILL');
    await waitFor(async () => (await total()) >= 3 * PER_NURSE, 'every message relayed', 600_000);

    const outcomes: { toTopic: ReturnType<typeof tally>; toRecord: ReturnType<typeof tally> }[] = [];
    for (const [n, { ticketId }] of nurses.entries()) {
      const { queued, recorded } = await system.relayed(ticketId);
      outcomes.push({ toTopic: tally(sent(n), queued), toRecord: tally(sent(n), recorded) });
    }
    const sum = (pick: (o: (typeof outcomes)[number]) => number) => outcomes.reduce((total, o) => total + pick(o), 0);
    const [applied, lost] = [sum((o) => o.toTopic.applied), sum((o) => o.toTopic.lost)];
    const doubled = sum((o) => Math.max(o.toTopic.doubled, o.toRecord.doubled));
    reportFault({
      fault: `two replicas behind one webhook URL, 3 × ${PER_NURSE} messages, one replica killed (kill -9) a third in`,
      sent: 3 * PER_NURSE,
      applied,
      lost,
      doubled,
      doubledBound: 0,
    });
    for (const { toTopic, toRecord } of outcomes) {
      expect(toTopic).toEqual({ sent: PER_NURSE, applied: PER_NURSE, lost: 0, doubled: 0, inOrder: true });
      expect(toRecord).toEqual(toTopic);
    }
  });
});
