import { fork } from 'node:child_process';
import { Api } from 'grammy';
import { grammyFetch } from '../../infra/telegram/lean-fetch';
import { BotApiStandin } from '../../standin';
import type { Bench, BenchRow } from './bench';
import { stopProcess } from './stop-process';

/**
 * What one Bot API call costs the calling process: BOT_API_CLIENT_BENCH_CALLS sendMessage calls (default
 * 5,000 per round, BOT_API_CLIENT_BENCH_CONCURRENCY in flight, default 10, as a bot under load has) through
 * grammY with its default node-fetch and with grammyFetch (infra/telegram/lean-fetch.ts), in the same run,
 * in alternating rounds (BOT_API_CLIENT_BENCH_ROUNDS each, default 3) so that other load on the machine
 * falls on both alike. The stand-in runs in this process and the calls in a child, whose own
 * `process.cpuUsage()` (user + system, GC included) is what is printed: CPU µs per call, and the ratio.
 */
const TOKEN = '123456:BENCH-client';
const CHATS = 50;
const WARM_UP_CALLS = 2_000;
type ClientName = 'node-fetch' | 'lean';

interface Settings {
  apiRoot: string;
  calls: number;
  concurrency: number;
  rounds: number;
}

interface Round {
  client: ClientName;
  cpuMs: number;
  wallMs: number;
  calls: number;
}

export const bench: Bench = {
  name: 'Bot API client',
  async run(): Promise<BenchRow[]> {
    const standin = new BotApiStandin({ token: TOKEN });
    const { apiRoot } = await standin.start();
    for (let i = 0; i < CHATS; i++) standin.user({ id: 1_000 + i, first_name: `Bench ${i}` });
    const settings: Settings = {
      apiRoot,
      calls: Number(process.env.BOT_API_CLIENT_BENCH_CALLS ?? 5_000),
      concurrency: Number(process.env.BOT_API_CLIENT_BENCH_CONCURRENCY ?? 10),
      rounds: Number(process.env.BOT_API_CLIENT_BENCH_ROUNDS ?? 3),
    };
    const caller = fork(__filename, ['caller'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    try {
      const rounds = await new Promise<Round[]>((resolve, reject) => {
        caller.once('message', (message) => resolve(message as Round[]));
        caller.once('error', reject);
        caller.once('exit', (code) => reject(new Error(`the calling process exited (${code}) before it reported`)));
        caller.send(settings);
      });
      return rowsOf(rounds, settings);
    } finally {
      await stopProcess(caller);
      await standin.stop();
    }
  },
};

function rowsOf(rounds: Round[], settings: Settings): BenchRow[] {
  const per = (client: ClientName) => {
    const mine = rounds.filter((r) => r.client === client);
    const calls = mine.reduce((sum, r) => sum + r.calls, 0);
    return {
      cpuUsPerCall: (mine.reduce((sum, r) => sum + r.cpuMs, 0) * 1000) / calls,
      callsPerSecond: (calls * 1000) / mine.reduce((sum, r) => sum + r.wallMs, 0),
      rounds: mine.map((r) => ((r.cpuMs * 1000) / r.calls).toFixed(0)).join(' / '),
    };
  };
  const nodeFetch = per('node-fetch');
  const lean = per('lean');
  const how = `${settings.rounds} × ${settings.calls.toLocaleString('en-US')} calls, ${settings.concurrency} in flight`;
  return [
    { metric: `node-fetch: CPU per sendMessage (${how}; per round ${nodeFetch.rounds})`, value: nodeFetch.cpuUsPerCall, unit: 'µs' },
    { metric: `lean fetch: CPU per sendMessage (per round ${lean.rounds})`, value: lean.cpuUsPerCall, unit: 'µs' },
    { metric: 'lean / node-fetch, CPU per call', value: lean.cpuUsPerCall / nodeFetch.cpuUsPerCall, unit: '×' },
    { metric: 'node-fetch: calls per second (wall clock, stand-in on the same cores)', value: nodeFetch.callsPerSecond, unit: '/s' },
    { metric: 'lean fetch: calls per second', value: lean.callsPerSecond, unit: '/s' },
  ];
}

/** The child: grammY clients calling the stand-in, measuring only themselves. */
async function callRounds(settings: Settings): Promise<Round[]> {
  const clients: Record<ClientName, Api> = {
    'node-fetch': new Api(TOKEN, { apiRoot: settings.apiRoot }),
    lean: new Api(TOKEN, { apiRoot: settings.apiRoot, fetch: grammyFetch }),
  };
  // Warm-up: JIT, the keep-alive sockets, the stand-in's chats; not measured.
  for (const api of Object.values(clients)) await send(api, WARM_UP_CALLS, settings.concurrency);
  const rounds: Round[] = [];
  for (let round = 0; round < settings.rounds; round++) {
    const order: ClientName[] = round % 2 === 0 ? ['node-fetch', 'lean'] : ['lean', 'node-fetch'];
    for (const client of order) {
      const started = process.hrtime.bigint();
      const cpu = process.cpuUsage();
      await send(clients[client], settings.calls, settings.concurrency);
      const used = process.cpuUsage(cpu);
      rounds.push({
        client,
        calls: settings.calls,
        cpuMs: (used.user + used.system) / 1000,
        wallMs: Number(process.hrtime.bigint() - started) / 1e6,
      });
    }
  }
  return rounds;
}

async function send(api: Api, calls: number, concurrency: number): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < calls) {
      const i = next++;
      await api.sendMessage(1_000 + (i % CHATS), `Напоминание ${i}: до конца цикла НМО осталось 120 дней`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
}

if (require.main === module && process.argv[2] === 'caller') {
  process.once('message', (settings) => {
    callRounds(settings as Settings).then(
      (rounds) => process.send!(rounds, () => process.exit(0)),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
