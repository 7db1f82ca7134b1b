import type { AdminServices } from '../services';
import { CliError, parseArgs, runCommand, usage, type CliContext } from './commands';
import { formatReport } from './format';

function context(services: Partial<AdminServices> = {}): CliContext & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    services: services as AdminServices,
    out: (line) => lines.push(line),
    err: (line) => lines.push(`! ${line}`),
    readFile: async () => Buffer.from(''),
    botUsername: async (flag) => flag ?? 'nmo_bot',
  };
}

describe('admin CLI', () => {
  it('reads flags anywhere, with a space or an equals sign', () => {
    expect(parseArgs(['GKB1', '--days', '7', 'T-1', '--bot=nmo_bot'])).toEqual({
      args: ['GKB1', 'T-1'],
      flags: new Map([
        ['days', '7'],
        ['bot', 'nmo_bot'],
      ]),
    });
    expect(() => parseArgs(['--days'])).toThrow(CliError);
  });

  it('prints the commands on help and refuses unknown commands and wrong arity with exit code 2', async () => {
    const ctx = context();
    await runCommand(['help'], ctx);
    expect(ctx.lines[0]).toBe(usage());
    for (const name of [
      'rule-set:list',
      'rule-set:install',
      'rule-set:assign',
      'org:create',
      'roster:import',
      'credits:import',
      'invites:issue',
    ])
      expect(usage()).toContain(name);
    await expect(runCommand(['org:delete'], ctx)).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining('unknown command'),
    });
    await expect(runCommand(['roster:import', 'GKB1'], ctx)).rejects.toMatchObject({
      exitCode: 2,
      message: 'usage: roster:import <ORG> <file.csv|file.xlsx>',
    });
    await expect(runCommand(['rule-set:list', 'extra'], ctx)).rejects.toMatchObject({ exitCode: 2 });
  });

  it('refuses a rule set file that is not JSON with one line', async () => {
    const ctx = context();
    ctx.readFile = async () => Buffer.from('{ nope');
    await expect(runCommand(['rule-set:install', 'bad.json'], ctx)).rejects.toThrow(/^bad\.json: not valid JSON/);
  });

  it('prints a report with each rejected row', () => {
    expect(
      formatReport('Roster import into GKB1', {
        total: 3,
        created: 1,
        updated: 0,
        unchanged: 1,
        rejected: [{ row: 4, reasons: ['snils-checksum', 'date-invalid'] }],
      }),
    ).toEqual([
      'Roster import into GKB1: 3 row(s) — 1 created, 0 updated, 1 unchanged, 1 rejected',
      'Rejected rows (row numbers as in the file, header = 1):',
      '  row 4: snils-checksum, date-invalid',
    ]);
  });
});
