#!/usr/bin/env node
// `prisma generate` needs no database, but the CLI insists on finding the native schema-engine binary,
// which it would download from a host this machine (and many CI machines) cannot reach. Generation
// itself never runs that binary, so pointing the variable at any existing file is enough.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(root, 'package.json');
execFileSync(process.execPath, [require.resolve('prisma/build/index.js'), 'generate'], { cwd: root, env, stdio: 'inherit' });
