import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Bench, BenchRow } from './bench';

/**
 * Runs every `*.bench.(js|ts)` in this folder, one after another in this process, and prints a table.
 * `npm run bench` builds first and runs the compiled `dist/scripts/bench/run.js`.
 * Optional arguments (or BENCH=a,b) filter benches by file name: `node dist/scripts/bench/run.js evaluate`.
 */
async function main(): Promise<void> {
  const filters = process.argv.length > 2 ? process.argv.slice(2) : (process.env.BENCH?.split(',').filter(Boolean) ?? []);
  const files = readdirSync(__dirname)
    .filter((file) => /\.bench\.(js|ts)$/.test(file) && !file.endsWith('.d.ts'))
    .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
    .sort();
  if (files.length === 0) {
    console.log('No benchmarks found.');
    return;
  }
  const rows: { bench: string; row: BenchRow }[] = [];
  for (const file of files) {
    const loaded = (await import(join(__dirname, file))) as { bench?: Bench };
    if (!loaded.bench) throw new Error(`${file} does not export \`bench\``);
    console.error(`running ${loaded.bench.name} (${file}) …`);
    try {
      for (const row of await loaded.bench.run()) rows.push({ bench: loaded.bench.name, row });
    } catch (error) {
      // One bench's failure is a row of the table, never the loss of the others' numbers.
      console.error(error);
      rows.push({
        bench: loaded.bench.name,
        row: { metric: 'failed', value: error instanceof Error ? error.message.split('\n')[0] : String(error) },
      });
      process.exitCode = 1;
    }
  }
  printTable(
    ['bench', 'metric', 'value', 'unit'],
    rows.map(({ bench, row }) => [bench, row.metric, formatValue(row.value), row.unit ?? '']),
  );
}

function formatValue(value: number | string): string {
  if (typeof value === 'string') return value;
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

function printTable(header: string[], body: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 2 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join(' | ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const r of body) console.log(line(r));
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => {
    // The table is printed: whatever a bench left open (a socket, a timer) must not keep the process alive.
    setTimeout(() => {
      console.error('bench: something was still open 10 s after the table; exiting anyway');
      process.exit();
    }, 10_000).unref();
  });
