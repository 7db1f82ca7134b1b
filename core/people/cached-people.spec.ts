import type { Person } from '../../generated/prisma/client';
import type { TableChanges } from '../shared/kept-while-heard';
import { CachedPeople, MAX_PEOPLE, PERSON_TTL_MS } from './cached-people';

/** What DatabaseChanges reports, moved by hand (infra/database-changes.integration.spec.ts hears the real ones). */
class Changes implements TableChanges {
  listening = true;
  private readonly listeners = new Set<() => void>();
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  change(): void {
    for (const listener of this.listeners) listener();
  }
  setListening(listening: boolean): void {
    this.listening = listening;
    this.change();
  }
}

function person(id: string, language: Person['language'] = 'ru'): Person {
  return { id, language, fullName: 'Иванова Мария Петровна', mutedKinds: [], createdAt: new Date(0) } as unknown as Person;
}

describe('CachedPeople', () => {
  let changes: Changes;
  let stored: Map<bigint, Person>;
  let people: CachedPeople;

  beforeEach(() => {
    changes = new Changes();
    stored = new Map([[1n, person('p1')]]);
    people = new CachedPeople(async (id) => structuredClone(stored.get(id) ?? null), changes);
  });
  afterEach(() => jest.restoreAllMocks());

  it('reads a person once, then serves copies from memory that a handler may change for itself', async () => {
    const first = await people.find(1n);
    first!.language = 'en';
    const second = await people.find(1n);

    expect(second).toEqual(person('p1'));
    expect(second).not.toBe(first);
    expect(people.reads).toBe(1);
  });

  it('forgets everyone at any change heard: the next find reads what is stored now', async () => {
    await people.find(1n);
    stored.set(1n, person('p1', 'en'));
    changes.change();

    expect((await people.find(1n))?.language).toBe('en');
    expect(people.reads).toBe(2);
  });

  it('reads every time while changes are not heard, and keeps nothing read meanwhile', async () => {
    await people.find(1n);
    changes.setListening(false);
    await people.find(1n);
    await people.find(1n);
    expect(people.reads).toBe(3);

    changes.setListening(true);
    await people.find(1n);
    expect(people.reads).toBe(4);
  });

  it('does not keep a read that a change overtook', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    people = new CachedPeople(async (id) => {
      const row = structuredClone(stored.get(id) ?? null);
      await held;
      return row;
    }, changes);
    const reading = people.find(1n);
    stored.set(1n, person('p1', 'en'));
    changes.change();
    release();
    expect((await reading)?.language).toBe('ru');

    expect((await people.find(1n))?.language).toBe('en');
    expect(people.reads).toBe(2);
  });

  it('keeps no absence: someone who is not linked yet is looked up again', async () => {
    expect(await people.find(2n)).toBeNull();
    stored.set(2n, person('p2'));
    expect((await people.find(2n))?.id).toBe('p2');
  });

  it(`reads again after ${PERSON_TTL_MS / 1000} s whatever was heard`, async () => {
    const now = jest.spyOn(Date, 'now').mockReturnValue(1_000_000);
    await people.find(1n);
    now.mockReturnValue(1_000_000 + PERSON_TTL_MS - 1);
    await people.find(1n);
    expect(people.reads).toBe(1);
    now.mockReturnValue(1_000_000 + PERSON_TTL_MS);
    await people.find(1n);
    expect(people.reads).toBe(2);
  });

  it(`keeps ${MAX_PEOPLE} people at most, the longest kept going first`, async () => {
    for (let id = 1n; id <= BigInt(MAX_PEOPLE) + 1n; id++) stored.set(id, person(`p${id}`));
    for (let id = 1n; id <= BigInt(MAX_PEOPLE) + 1n; id++) await people.find(id);
    expect(people.reads).toBe(MAX_PEOPLE + 1);

    await people.find(BigInt(MAX_PEOPLE) + 1n);
    await people.find(2n);
    expect(people.reads).toBe(MAX_PEOPLE + 1);
    await people.find(1n);
    expect(people.reads).toBe(MAX_PEOPLE + 2);
  });
});
