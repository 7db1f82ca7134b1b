import { judgeIntent, runLabel, SEND_LEASE_MS } from './send-intent';

/** What a run concludes from an intent it finds on a notification that has no record of its send. */
describe('send intent', () => {
  const job = { timestamp: 1_700_000_000_000, attemptsStarted: 3 };
  const now = 1_700_000_100_000;

  it('sees nothing to fear on a row no run has claimed', () => {
    expect(judgeIntent({ by: null, since: null }, job, now)).toEqual({ kind: 'none' });
  });

  it('takes an earlier run of the same job for over: BullMQ runs a job again only when its last run ended', () => {
    const earlier = runLabel({ ...job, attemptsStarted: 2 });
    expect(earlier).toBe('1700000000000#2');
    expect(judgeIntent({ by: earlier, since: new Date(now - 1000) }, job, now)).toEqual({ kind: 'over' });
  });

  it('waits out the lease of a run of another job (the job was added anew after a Redis flush)', () => {
    const other = runLabel({ timestamp: job.timestamp - 5000, attemptsStarted: 1 });
    const since = new Date(now - 10_000);
    expect(judgeIntent({ by: other, since }, job, now)).toEqual({ kind: 'maybe-live', until: since.getTime() + SEND_LEASE_MS });
    expect(judgeIntent({ by: other, since }, job, since.getTime() + SEND_LEASE_MS)).toEqual({ kind: 'over' });
  });
});
