import { transformFileSync } from '@swc/core';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Config } from './config/config';
import type { Logger } from './logger';
import { personalDataKey } from './personal-data-key';

const run = promisify(execFile);
const silent = { warn: () => undefined } as unknown as Logger;
const configOf = (dataDir: string) => ({ DATA_DIR: dataDir }) as Config;
const fingerprint = (key: Buffer) => createHash('sha256').update(key).digest('hex');

/**
 * A child process that holds every file-changing call until all of its siblings have reached one too:
 * each has looked for the key file and found none before any of them writes, which is how a bot and a
 * worker started together on an empty DATA_DIR meet. It prints the fingerprint of the key it got.
 */
const CHILD = `
const fs = require('node:fs');
const path = require('node:path');
const { createHash } = require('node:crypto');
const [modulePath, dataDir, barrierDir, expected] = process.argv.slice(2);
const original = { writeFileSync: fs.writeFileSync, readdirSync: fs.readdirSync };
let waited = false;
function barrier() {
  if (waited) return;
  waited = true;
  original.writeFileSync(path.join(barrierDir, String(process.pid)), '');
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  for (let i = 0; original.readdirSync(barrierDir).length < Number(expected); i++) {
    if (i > 6000) throw new Error('the other processes never arrived');
    Atomics.wait(sleeper, 0, 0, 5);
  }
}
for (const name of ['writeFileSync', 'mkdirSync', 'linkSync', 'renameSync', 'copyFileSync']) {
  const fn = fs[name];
  fs[name] = function (...args) { barrier(); return fn.apply(this, args); };
}
const openSync = fs.openSync;
fs.openSync = function (file, flags, ...rest) {
  if (flags !== undefined && flags !== 'r') barrier();
  return openSync.call(this, file, flags, ...rest);
};
const { personalDataKey } = require(modulePath);
const key = personalDataKey({ DATA_DIR: dataDir }, { warn() {} });
process.stdout.write(createHash('sha256').update(key).digest('hex'));
`;

describe('the development key of an empty DATA_DIR', () => {
  let work: string;

  beforeEach(() => {
    work = mkdtempSync(path.join(tmpdir(), 'nmo-dev-key-'));
  });

  afterEach(() => {
    rmSync(work, { recursive: true, force: true });
  });

  it('is one key for processes that start together: the loser reads the winner’s', async () => {
    const compiled = path.join(work, 'personal-data-key.js');
    const { code } = transformFileSync(path.join(__dirname, 'personal-data-key.ts'), {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
    });
    writeFileSync(compiled, code);
    writeFileSync(path.join(work, 'child.js'), CHILD);
    const dataDir = path.join(work, 'data');
    const barrierDir = path.join(work, 'barrier');
    mkdirSync(barrierDir);
    const processes = 3;

    const outputs = await Promise.all(
      Array.from({ length: processes }, () =>
        run(process.execPath, [path.join(work, 'child.js'), compiled, dataDir, barrierDir, String(processes)]),
      ),
    );

    const fingerprints = outputs.map((o) => o.stdout);
    expect(fingerprints[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(fingerprints).size).toBe(1);
    // …and it is the key on disk, which the next start reads.
    expect(fingerprint(personalDataKey(configOf(dataDir), silent))).toBe(fingerprints[0]);
    expect(statSync(path.join(dataDir, 'dev-encryption.key')).mode & 0o777).toBe(0o600);
    // No temporary file is left behind.
    expect(readdirSync(dataDir)).toEqual(['dev-encryption.key']);
  });

  it('keeps the key across restarts', () => {
    const first = personalDataKey(configOf(work), silent);
    expect(first).toHaveLength(32);
    expect(personalDataKey(configOf(work), silent).equals(first)).toBe(true);
  });

  it('refuses a damaged key file instead of replacing it, without printing what it holds', () => {
    const file = path.join(work, 'dev-encryption.key');
    writeFileSync(file, 'c2hvcnQ=');
    expect(() => personalDataKey(configOf(work), silent)).toThrow(/does not hold a 32-byte base64 key/);
    expect(() => personalDataKey(configOf(work), silent)).not.toThrow(/c2hvcnQ/);
    expect(readFileSync(file, 'utf8')).toBe('c2hvcnQ=');
  });

  it('uses DATA_ENCRYPTION_KEY when it is set and writes nothing', () => {
    const key = Buffer.alloc(32, 7);
    const config = { DATA_DIR: path.join(work, 'unused'), DATA_ENCRYPTION_KEY: key.toString('base64') } as Config;
    expect(personalDataKey(config, silent).equals(key)).toBe(true);
    expect(() => statSync(path.join(work, 'unused'))).toThrow();
  });
});
