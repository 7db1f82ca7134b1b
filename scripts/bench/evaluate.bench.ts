import { type CreditEntryInput, evaluate } from '../../core/credits';
import { fromDayNumber, toDayNumber } from '../../core/shared/dates';
import { getShippedRuleSet } from '../../core/rules';
import { type Bench, elapsedMs, seededRandom } from './bench';

/**
 * evaluate() under nmo-709n for 100,000 people × 50 entries, against a baseline that sums the same
 * entries with no rules. People are generated in chunks (untimed) so that memory stays flat and the
 * timing covers evaluation only; the data is the same on every run (seeded PRNG).
 * Target: ≥ 50,000 people/s on one core.
 */
const PEOPLE = 100_000;
const ENTRIES_PER_PERSON = 50;
const CHUNK = 1_000;
const AS_OF = '2026-06-01';

interface Person {
  cycleStart: string;
  entries: CreditEntryInput[];
}

const FIRST_DAY = toDayNumber('2020-01-01');
const DAY_STRINGS = Array.from({ length: toDayNumber(AS_OF) - FIRST_DAY + 1 }, (_, i) => fromDayNumber(FIRST_DAY + i));
const IDS = Array.from({ length: ENTRIES_PER_PERSON }, (_, i) => `entry-${i}`);
const PK_HOURS = [16, 18, 36, 72, 144];

function generatePerson(random: () => number): Person {
  // Cycles started between 2021 and early 2026; entries from a year before the cycle (some don't count).
  const cycleStartIndex = 365 + Math.floor(random() * (DAY_STRINGS.length - 365 - 120));
  const entries: CreditEntryInput[] = new Array(ENTRIES_PER_PERSON);
  for (let i = 0; i < ENTRIES_PER_PERSON; i++) {
    const kind = random();
    const typeCode = kind < 0.1 ? 'pk' : kind < 0.7 ? 'iom' : 'event';
    const quantity =
      typeCode === 'pk'
        ? PK_HOURS[Math.floor(random() * PK_HOURS.length)]
        : typeCode === 'iom'
          ? 1 + Math.floor(random() * 12)
          : 1 + Math.floor(random() * 6);
    const dayIndex = cycleStartIndex - 365 + Math.floor(random() * (DAY_STRINGS.length - cycleStartIndex + 365));
    const v = random();
    entries[i] = {
      id: IDS[i],
      typeCode,
      quantity,
      date: DAY_STRINGS[dayIndex],
      verification: v < 0.05 ? 'REJECTED' : v < 0.6 ? 'VERIFIED' : 'UNVERIFIED',
    };
  }
  return { cycleStart: DAY_STRINGS[cycleStartIndex], entries };
}

/** The floor: what merely walking the same entries costs. */
function baselineSum(person: Person): number {
  let sum = 0;
  const entries = person.entries;
  for (let i = 0; i < entries.length; i++) sum += entries[i].quantity;
  return sum;
}

export const bench: Bench = {
  name: 'evaluate nmo-709n',
  run() {
    const ruleSet = getShippedRuleSet('nmo-709n');
    const random = seededRandom(709);
    const chunk: Person[] = new Array(CHUNK);
    let evaluateMs = 0;
    let baselineMs = 0;
    let sink = 0;
    let metCount = 0;
    let peakHeap = 0;

    // Warm-up (not counted): let the JIT see both loops.
    for (let i = 0; i < CHUNK; i++) chunk[i] = generatePerson(random);
    for (let round = 0; round < 3; round++) {
      for (const person of chunk) {
        sink += baselineSum(person);
        sink += evaluate(ruleSet, person.entries, { cycleStart: person.cycleStart }, AS_OF).total;
      }
    }

    for (let done = 0; done < PEOPLE; done += CHUNK) {
      for (let i = 0; i < CHUNK; i++) chunk[i] = generatePerson(random);

      let start = process.hrtime.bigint();
      for (let i = 0; i < CHUNK; i++) sink += baselineSum(chunk[i]);
      baselineMs += elapsedMs(start);

      start = process.hrtime.bigint();
      for (let i = 0; i < CHUNK; i++) {
        const result = evaluate(ruleSet, chunk[i].entries, { cycleStart: chunk[i].cycleStart }, AS_OF);
        sink += result.total;
        if (result.met) metCount++;
      }
      evaluateMs += elapsedMs(start);
      peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    }

    const peoplePerSecond = PEOPLE / (evaluateMs / 1000);
    const baselinePerSecond = PEOPLE / (baselineMs / 1000);
    return [
      { metric: 'people × entries', value: `${PEOPLE.toLocaleString('en-US')} × ${ENTRIES_PER_PERSON}` },
      { metric: 'evaluate', value: Math.round(peoplePerSecond), unit: 'people/s' },
      { metric: 'evaluate time', value: evaluateMs, unit: 'ms' },
      { metric: 'baseline (sum, no rules)', value: Math.round(baselinePerSecond), unit: 'people/s' },
      { metric: 'baseline time', value: baselineMs, unit: 'ms' },
      { metric: 'evaluate / baseline time', value: evaluateMs / baselineMs, unit: '×' },
      { metric: 'target ≥ 50,000 people/s', value: peoplePerSecond >= 50_000 ? 'met' : 'missed' },
      { metric: 'people meeting 709н', value: metCount },
      { metric: 'heap used (peak, sampled per chunk)', value: peakHeap / 2 ** 20, unit: 'MiB' },
      { metric: 'heap used (end)', value: process.memoryUsage().heapUsed / 2 ** 20, unit: 'MiB' },
      { metric: 'checksum', value: Math.round(sink) },
    ];
  },
};
