import type { BotContext } from '../context';
import { answeringPress } from './answering-press';

/** A press whose answerCallbackQuery is released by hand. */
function press(answer: Promise<true>): { ctx: BotContext; answered: () => boolean } {
  let done = false;
  const ctx = { answerCallbackQuery: () => answer.then((v) => ((done = true), v)) } as unknown as BotContext;
  return { ctx, answered: () => done };
}

describe('answeringPress', () => {
  it('starts the work while the answer is still on its way, and ends when both have', async () => {
    let release!: (v: true) => void;
    const { ctx, answered } = press(new Promise((resolve) => (release = resolve)));
    let workStarted = false;
    const running = answeringPress(ctx, async () => {
      workStarted = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(workStarted).toBe(true);
    expect(answered()).toBe(false);

    release(true);
    await running;
    expect(answered()).toBe(true);
  });

  it('fails with the work’s error only after the answer has ended', async () => {
    let release!: (v: true) => void;
    const { ctx, answered } = press(new Promise((resolve) => (release = resolve)));
    const running = answeringPress(ctx, () => Promise.reject(new Error('database away')));
    const settled = jest.fn();
    running.catch(settled);
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).not.toHaveBeenCalled();

    release(true);
    await expect(running).rejects.toThrow('database away');
    expect(answered()).toBe(true);
  });

  it('fails with the answer’s error only after the work has ended', async () => {
    const { ctx } = press(Promise.reject(new Error('Bot API away')));
    let workEnded = false;
    await expect(
      answeringPress(ctx, async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        workEnded = true;
      }),
    ).rejects.toThrow('Bot API away');
    expect(workEnded).toBe(true);
  });
});
