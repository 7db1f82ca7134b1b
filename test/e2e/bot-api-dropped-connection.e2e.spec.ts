import { setTimeout as sleep } from 'node:timers/promises';
import type { SimulatedUser } from '../../standin';
import { createLinkedPerson } from '../support/people';
import { startSystem, type RunningSystem } from '../support/system';

/**
 * The Bot API side of a kept-alive connection may close it just as the bot's next call goes out on it (an
 * idle timeout, a proxy restarting): that call is answered by nothing. Taken for Telegram away, it made
 * the bot handle the whole update again half a second later, so the person got the replies that had gone
 * out before it twice. The call alone is sent once more, on a new connection (infra/telegram/lean-fetch.ts).
 */
describe('a Bot API connection dropped under a reply', () => {
  let system: RunningSystem;
  let anna: SimulatedUser;

  beforeAll(async () => {
    system = await startSystem({ now: new Date('2026-05-10T09:00:00Z') });
    const fields = { lastAccreditationDate: new Date('2023-03-15T00:00:00Z'), category: 'NURSE' as const };
    await createLinkedPerson(system, 6201, { ...fields, fullName: 'Иванова Анна Петровна' });
    anna = system.standin.user({ id: 6201, first_name: 'Анна', language_code: 'ru' });
    // The chart drawn once: from now on /credits sends a text and then the chart by its file_id, both JSON calls.
    await anna.sendCommand('/credits');
    await anna.waitForReply({ methods: ['sendPhoto'], timeoutMs: 60_000 });
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('sends that reply once more and nothing else again: the balance and the chart reach her once each', async () => {
    const shownBefore = anna.messages().length;
    const callsBefore = system.standin.calls().length;
    system.standin.failNext('sendPhoto', { reset: true });

    await anna.sendCommand('/credits');
    await anna.waitForReply({ methods: ['sendPhoto'], afterCallCount: callsBefore, timeoutMs: 30_000 });
    // Handled again, the update would have sent its text again 500 ms after the drop: give it the time.
    await sleep(1500);

    const calls = system.standin.calls().slice(callsBefore);
    expect(calls.map((c) => `${c.method} ${c.ok ? 'ok' : 'dropped'}`)).toEqual(['sendMessage ok', 'sendPhoto dropped', 'sendPhoto ok']);
    const shown = anna.messages().slice(shownBefore);
    expect(shown.map((m) => (m.photo ? 'chart' : 'text'))).toEqual(['text', 'chart']);
    expect(shown[0].text).toContain('Баллы НМО');
  });
});
