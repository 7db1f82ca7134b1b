import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BOT_NODE_ARGS } from './bot-node-args';

/** The benches' bot must be production's bot: its flags are read from the places that start it. */
const root = path.resolve(__dirname, '../..');
const command = ['node', ...BOT_NODE_ARGS, 'dist/bot/main.js'];

describe('the benches start the bot with production flags', () => {
  it('as npm start does', () => {
    const scripts = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.start).toBe(command.join(' '));
  });

  it('as docker-compose does', () => {
    const compose = readFileSync(path.join(root, 'docker-compose.yml'), 'utf8');
    const line = /^\s{2}bot:[\s\S]*?^\s{4}command: (\[.*\])$/m.exec(compose)?.[1];
    expect(line).toBeDefined();
    expect(JSON.parse(line!.replace(/'/g, '"'))).toEqual(command);
  });

  it("as the image's default command does", () => {
    const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    const line = /^CMD (\[.*\])$/m.exec(dockerfile)?.[1];
    expect(line).toBeDefined();
    expect(JSON.parse(line!)).toEqual(command);
  });
});
