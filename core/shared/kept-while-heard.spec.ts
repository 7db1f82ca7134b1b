import { KeptWhileHeard, type TableChanges } from './kept-while-heard';

/** Always listening, nothing ever heard: only `max` and `weigh` decide what stays (cached-people.spec.ts covers the rest). */
const quiet: TableChanges = { listening: true, onChange: () => () => undefined };

describe('KeptWhileHeard weighing its values', () => {
  let reads: string[];
  let kept: KeptWhileHeard<string[]>;
  const read = (key: string, rows: number) => () => {
    reads.push(key);
    return Promise.resolve(Array.from({ length: rows }, (_, i) => `${key}${i}`));
  };

  beforeEach(() => {
    reads = [];
    kept = new KeptWhileHeard<string[]>(quiet, { ttlMs: 60_000, max: 10, weigh: (rows) => Math.max(1, rows.length) });
  });

  it('keeps values while their weights together stay within max, the longest kept going first past it', async () => {
    await kept.get('a', read('a', 4));
    await kept.get('b', read('b', 4));
    await kept.get('c', read('c', 0));
    await kept.get('a', read('a', 4));
    expect(reads).toEqual(['a', 'b', 'c']);

    // 4 + 4 + 1 + 3 = 12: «a», kept longest, goes; «b» and «c» stay.
    await kept.get('d', read('d', 3));
    await kept.get('b', read('b', 4));
    await kept.get('c', read('c', 0));
    expect(reads).toEqual(['a', 'b', 'c', 'd']);
    await kept.get('a', read('a', 4));
    expect(reads).toEqual(['a', 'b', 'c', 'd', 'a']);
  });

  it('counts a value read again (its time over) once, at its new weight', async () => {
    const now = jest.spyOn(Date, 'now').mockReturnValue(1_000_000);
    try {
      await kept.get('a', read('a', 6));
      now.mockReturnValue(1_000_000 + 60_000);
      await kept.get('a', read('a', 6));
      // 6 + 4 = 10: both stay. Were the first reading's 6 still counted, «a» would go.
      await kept.get('b', read('b', 4));
      await kept.get('a', read('a', 6));
      await kept.get('b', read('b', 4));
      expect(reads).toEqual(['a', 'a', 'b']);
    } finally {
      now.mockRestore();
    }
  });

  it('does not keep a value heavier than max on its own, nor push the others out for it', async () => {
    await kept.get('a', read('a', 4));
    expect(await kept.get('huge', read('huge', 11))).toHaveLength(11);
    await kept.get('huge', read('huge', 11));
    await kept.get('a', read('a', 4));
    expect(reads).toEqual(['a', 'huge', 'huge']);
  });
});
