// Lets `node -r ./scripts/swc-register.js worker/main.ts` run the TypeScript sources as they are (the same
// .swcrc jest uses): failure tests run the worker, and CLI tests the admin CLI, as real child processes
// without a build; a worker thread started from the sources (infra/tabular) loads its entry the same way.
const fs = require('node:fs');
const path = require('node:path');
const { transformSync } = require('@swc/core');

const root = path.resolve(__dirname, '..');
const options = JSON.parse(fs.readFileSync(path.join(root, '.swcrc'), 'utf8'));
delete options.$schema;
options.swcrc = false;
options.sourceMaps = 'inline';

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), { ...options, filename });
  module._compile(code, filename);
};
