import { existsSync } from 'node:fs';
import path from 'node:path';

/** The folder holding package.json, whether this file runs from source (jest) or from dist/. */
export const projectRoot: string = (() => {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`package.json not found above ${__dirname}`);
    dir = parent;
  }
  return dir;
})();

export const localesDir = path.join(projectRoot, 'locales');
