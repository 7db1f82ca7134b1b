import { GrammyError, HttpError } from 'grammy';
import { EscalatingPause, OutageWitness, telegramTrouble } from './outage';

/** How the outbound queue rides out an outage: waits that grow while it lasts, and whose failure is whose. */
describe('outbound outages', () => {
  it('doubles the pause with each try that fails, up to the cap, and starts over after a success', () => {
    const pause = new EscalatingPause({ firstMs: 1000, maxMs: 30_000 });
    let now = 0;
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) {
      const next = pause.next(now, now);
      waits.push(next.ms);
      now += next.ms;
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
    pause.reset();
    expect(pause.next(now, now).ms).toBe(1000);
  });

  it('takes one step for jobs that fail together: those in flight when the pause began wait out the same pause', () => {
    const pause = new EscalatingPause({ firstMs: 1000, maxMs: 30_000 });
    expect(pause.next(100, 500)).toEqual({ ms: 1000, escalated: true });
    // Seven more sends, started before the pause, fail during it.
    expect(pause.next(200, 600)).toEqual({ ms: 900, escalated: false });
    expect(pause.next(450, 1200)).toEqual({ ms: 300, escalated: false });
    // The first try after the pause fails: the next step.
    expect(pause.next(1600, 1700)).toEqual({ ms: 2000, escalated: true });
  });

  it("counts a failure against the message only when Telegram answered others since the message's last failure", () => {
    const witness = new OutageWitness();
    // Telegram down for everyone: nobody's failures count, however many.
    expect(witness.failed('a', 1)).toBe(false);
    expect(witness.failed('b', 2)).toBe(false);
    expect(witness.failed('a', 3)).toBe(false);
    // Telegram is back for others, not for 'a': its next failure is its own.
    witness.succeeded('b', 4);
    expect(witness.failed('a', 5)).toBe(true);
    // A message that went through starts clean.
    witness.succeeded('a', 6);
    expect(witness.failed('a', 7)).toBe(false);
  });

  it('tells what a failed call says about Telegram and about the message', () => {
    const gateway = new GrammyError(
      'Call to sendMessage failed!',
      { ok: false, error_code: 502, description: 'Bad Gateway' },
      'sendMessage',
      {},
    );
    const refused = new GrammyError(
      'Call failed',
      { ok: false, error_code: 400, description: 'Bad Request: chat not found' },
      'sendMessage',
      {},
    );
    const connectionRefused = new HttpError(
      "Network request for 'sendMessage' failed!",
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    );
    const htmlPage = new HttpError(
      "Network request for 'sendMessage' failed!",
      Object.assign(new Error('invalid json'), { type: 'invalid-json' }),
    );
    const timedOut = new HttpError(
      "Network request for 'sendMessage' failed!",
      new Error("Request to 'sendMessage' timed out after 60 seconds"),
    );
    expect(telegramTrouble(gateway)).toEqual({ outage: true, delivered: 'no' });
    expect(telegramTrouble(refused)).toEqual({ outage: false });
    expect(telegramTrouble(connectionRefused)).toEqual({ outage: true, delivered: 'no' });
    expect(telegramTrouble(htmlPage)).toEqual({ outage: true, delivered: 'no' });
    expect(telegramTrouble(timedOut)).toEqual({ outage: true, delivered: 'unknown' });
    expect(telegramTrouble(new Error('support ticket 7 not found'))).toEqual({ outage: false });
  });
});
