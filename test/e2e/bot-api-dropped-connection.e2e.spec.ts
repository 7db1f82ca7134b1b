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

  /** Opens /credits with the chart's sendPhoto dropped once; what went out, and what she saw, after it. */
  async function creditsWithChartDropped(): Promise<{ calls: string[]; shown: string[] }> {
    const shownBefore = anna.messages().length;
    const callsBefore = system.standin.calls().length;
    system.standin.failNext('sendPhoto', { reset: true });
    await anna.sendCommand('/credits');
    await anna.waitForReply({ methods: ['sendPhoto'], afterCallCount: callsBefore, timeoutMs: 30_000 });
    // Handled again, the update would have sent its text again 500 ms after the drop: give it the time.
    await sleep(1500);
    return {
      calls: system.standin
        .calls()
        .slice(callsBefore)
        .map((c) => `${c.method} ${c.ok ? 'ok' : 'dropped'}`),
      shown: anna
        .messages()
        .slice(shownBefore)
        .map((m) => (m.photo ? 'chart' : m.text!.split('\n')[0])),
    };
  }

  const once = { calls: ['sendMessage ok', 'sendPhoto dropped', 'sendPhoto ok'], shown: [expect.stringContaining('Баллы НМО'), 'chart'] };

  it('sends that reply once more and nothing else again: the balance and the chart reach her once each', async () => {
    expect(await creditsWithChartDropped()).toEqual(once);
  });

  it('does so with a chart drawn anew and uploaded (a new day), held whole to be sent again', async () => {
    system.clock.advance(24 * 3600 * 1000);
    const uploads = system.standin.calls('sendPhoto').length;
    // A drawing is announced («sending a photo…») while the picture is drawn.
    expect(await creditsWithChartDropped()).toEqual({
      ...once,
      calls: ['sendMessage ok', 'sendChatAction ok', 'sendPhoto dropped', 'sendPhoto ok'],
    });
    const [dropped, sent] = system.standin.calls('sendPhoto').slice(uploads);
    // Both uploads: the stand-in dropped the first before reading its file, the second arrived whole.
    expect(dropped.params.photo).toMatch(/^attach:\/\//);
    expect(sent.params.photo).toMatchObject({ upload: true, file_name: 'progress.png' });
  });
});
