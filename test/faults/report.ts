import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/** One row of the fault table README's reliability section shows. */
export interface FaultRow {
  fault: string;
  sent: number;
  applied: number;
  lost: number;
  doubled: number;
  /** The documented bound on `doubled` for this fault (0 unless a Telegram send may repeat once). */
  doubledBound: number;
}

const OUT_DIR = path.resolve(__dirname, '../../test-output');
const TABLE = path.join(OUT_DIR, 'faults.md');

/**
 * Prints the row (and appends it to test-output/faults.md, the table README copies) and returns it,
 * so the test then asserts lost = 0 and doubled ≤ its bound. Printed before asserting, so a failing
 * run still shows its numbers.
 */
export function reportFault(row: FaultRow): FaultRow {
  const line = `| ${row.fault} | ${row.sent} | ${row.applied} | ${row.lost} | ${row.doubled} (bound ${row.doubledBound}) |`;
  process.stdout.write(`fault: ${line}\n`);
  mkdirSync(OUT_DIR, { recursive: true });
  appendFileSync(TABLE, `${line}\n`);
  return row;
}
