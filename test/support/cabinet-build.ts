import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { CABINET_DIST } from '../../bot/http/cabinet/mount-cabinet';

const CABINET = path.resolve(__dirname, '../../cabinet');
const SOURCES = [path.join(CABINET, 'src'), path.join(CABINET, 'index.html'), path.join(CABINET, 'vite.config.mts')];
// The page compiles against the API's types and the chat's number format: a change there rebuilds it too.
const SHARED = [path.resolve(__dirname, '../../bot/http/cabinet/wire.ts'), path.resolve(__dirname, '../../bot/format.ts')];

function newest(file: string): number {
  const stat = statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(file).map((name) => newest(path.join(file, name))));
}

/**
 * The built page the bot process serves, built now if missing or older than its sources (as `npm run
 * build` builds it), so the browser tests never test yesterday's bundle.
 */
export function ensureCabinetBuilt(): string {
  const index = path.join(CABINET_DIST, 'index.html');
  const stale = !existsSync(index) || newest(index) < Math.max(...[...SOURCES, ...SHARED].map(newest));
  if (stale) {
    execFileSync(
      process.execPath,
      [
        path.resolve(__dirname, '../../node_modules/vite/bin/vite.js'),
        'build',
        '--config',
        path.join(CABINET, 'vite.config.mts'),
        '--logLevel',
        'warn',
      ],
      {
        stdio: 'inherit',
        // Jest sets NODE_ENV=test, which would make Vite bundle React's development build.
        env: { ...process.env, NODE_ENV: 'production' },
      },
    );
  }
  return CABINET_DIST;
}
