import { BatchedRead } from './batched-read';

function rowsOf(table: Record<string, { name: string }>) {
  const calls: string[][] = [];
  const readMany = (keys: string[]) => {
    calls.push(keys);
    return Promise.resolve(new Map(keys.filter((k) => k in table).map((k) => [k, { ...table[k] }])));
  };
  return { calls, readMany };
}

describe('BatchedRead', () => {
  const table = { a: { name: 'Анна' }, b: { name: 'Борис' }, c: { name: 'Вера' } };

  it('reads the keys asked for in one turn with one call, and gives each its row or undefined', async () => {
    const { calls, readMany } = rowsOf(table);
    const read = new BatchedRead(readMany);
    const answers = await Promise.all([read.load('a'), read.load('b'), read.load('zz'), read.load('c')]);
    expect(answers).toEqual([{ name: 'Анна' }, { name: 'Борис' }, undefined, { name: 'Вера' }]);
    expect(calls).toEqual([['a', 'b', 'zz', 'c']]);
  });

  it('asks for a key once per batch; its askers share the row, or get copies of their own when told to', async () => {
    const { calls, readMany } = rowsOf(table);
    const shared = new BatchedRead(readMany);
    const [first, second] = await Promise.all([shared.load('a'), shared.load('a')]);
    expect(calls).toEqual([['a']]);
    expect(second).toBe(first);

    const copied = new BatchedRead(readMany, { copy: structuredClone });
    const [own, other] = await Promise.all([copied.load('a'), copied.load('a')]);
    expect(calls).toEqual([['a'], ['a']]);
    expect(other).toEqual(own);
    expect(other).not.toBe(own);
  });

  it('reads again for a later turn: nothing is kept between batches', async () => {
    const { calls, readMany } = rowsOf(table);
    const read = new BatchedRead(readMany);
    expect(await read.load('a')).toEqual({ name: 'Анна' });
    table.a.name = 'Анна Петрова';
    expect(await read.load('a')).toEqual({ name: 'Анна Петрова' });
    expect(calls).toEqual([['a'], ['a']]);
    table.a.name = 'Анна';
  });

  it('splits a large batch into calls of at most maxBatch keys', async () => {
    const { calls, readMany } = rowsOf(table);
    const read = new BatchedRead(readMany, { maxBatch: 2 });
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((k) => read.load(k)));
    expect(calls).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('rejects every load of a failed call with its error, and later loads read anew', async () => {
    let fail = true;
    const read = new BatchedRead<{ name: string }>((keys) =>
      fail ? Promise.reject(new Error('connection lost')) : Promise.resolve(new Map(keys.map((k) => [k, { name: k }]))),
    );
    const results = await Promise.allSettled([read.load('a'), read.load('b')]);
    expect(results.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : 'fulfilled'))).toEqual([
      'connection lost',
      'connection lost',
    ]);
    fail = false;
    expect(await read.load('a')).toEqual({ name: 'a' });
  });
});
