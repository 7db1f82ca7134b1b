import { readFileSync } from 'node:fs';
import path from 'node:path';
import { WORKER_NODE_ARGS } from './worker-node-args';

/** The benches' worker must be production's worker: its flags are read from the same two places. */
const root = path.resolve(__dirname, '../..');

describe('the benches start the worker with production flags', () => {
  it('as npm run start:worker does', () => {
    const scripts = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts['start:worker']).toBe(['node', ...WORKER_NODE_ARGS, 'dist/worker/main.js'].join(' '));
  });

  it('as docker-compose does', () => {
    const compose = readFileSync(path.join(root, 'docker-compose.yml'), 'utf8');
    const command = /^\s{2}worker:[\s\S]*?^\s{4}command: (\[.*\])$/m.exec(compose)?.[1];
    expect(command).toBeDefined();
    expect(JSON.parse(command!.replace(/'/g, '"'))).toEqual(['node', ...WORKER_NODE_ARGS, 'dist/worker/main.js']);
  });
});
