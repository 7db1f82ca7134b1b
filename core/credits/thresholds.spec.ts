import type { Evaluation } from './engine';
import { crossedThresholds } from './reevaluation.service';

function evaluation(over: { met?: boolean; behind?: boolean; daysLeft?: number }): Evaluation {
  return { met: over.met ?? false, pace: { behind: over.behind ?? false }, daysLeft: over.daysLeft ?? 1000 } as Evaluation;
}

describe('threshold crossings between two evaluations', () => {
  it('notices the requirement being met once, not while it stays met', () => {
    expect(crossedThresholds({ met: false, behindPace: false, daysLeft: 900 }, evaluation({ met: true }))).toEqual([
      { kind: 'credits.met' },
    ]);
    expect(crossedThresholds({ met: true, behindPace: false, daysLeft: 900 }, evaluation({ met: true }))).toEqual([]);
  });

  it('notices falling behind pace, and stays quiet while still behind', () => {
    expect(crossedThresholds({ met: false, behindPace: false, daysLeft: 900 }, evaluation({ behind: true }))).toEqual([
      { kind: 'credits.behind-pace' },
    ]);
    expect(crossedThresholds({ met: false, behindPace: true, daysLeft: 899 }, evaluation({ behind: true, daysLeft: 899 }))).toEqual([]);
  });

  it('names only the nearest period-end milestone passed since last time', () => {
    expect(crossedThresholds({ met: false, behindPace: false, daysLeft: 200 }, evaluation({ daysLeft: 20 }))).toEqual([
      { kind: 'credits.period-end', milestone: 30 },
    ]);
    expect(crossedThresholds({ met: false, behindPace: false, daysLeft: 91 }, evaluation({ daysLeft: 90 }))).toEqual([
      { kind: 'credits.period-end', milestone: 90 },
    ]);
    expect(crossedThresholds({ met: false, behindPace: false, daysLeft: 90 }, evaluation({ daysLeft: 89 }))).toEqual([]);
  });

  it('says nothing about deadlines once the requirement is met', () => {
    expect(crossedThresholds({ met: true, behindPace: false, daysLeft: 8 }, evaluation({ met: true, daysLeft: 6 }))).toEqual([]);
  });

  it('takes a first evaluation as a baseline: only a near deadline is news', () => {
    expect(crossedThresholds(null, evaluation({ met: true }))).toEqual([]);
    expect(crossedThresholds(null, evaluation({ behind: true, daysLeft: 400 }))).toEqual([]);
    expect(crossedThresholds(null, evaluation({ daysLeft: 5, behind: true }))).toEqual([{ kind: 'credits.period-end', milestone: 7 }]);
  });
});
