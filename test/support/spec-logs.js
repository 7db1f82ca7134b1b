// Where the processes a spec starts write their log (test/support/spec-log.ts), and the jest reporter that
// prints the end of that log under a spec that failed: a failure seen once in CI leaves what the bot and
// the worker said in the output, instead of a rerun that passes. Plain CommonJS: jest loads reporters
// without transforming them.
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');
const LOG_DIR = path.join(ROOT, 'test-output', 'logs');
/** The end of a failed spec's log that is printed (what led to the failure); the whole file stays. */
const PRINTED_LINES = 300;

/** The log file of the spec at `testPath`: test-output/logs/<its path in the checkout, folders joined by __>.log */
function specLogFile(testPath) {
  return path.join(LOG_DIR, `${path.relative(ROOT, testPath).split(path.sep).join('__')}.log`);
}

class FailedSpecLogs {
  /** Each run starts with no logs: a file present belongs to a spec of this run. */
  onRunStart() {
    fs.rmSync(LOG_DIR, { recursive: true, force: true });
  }

  onTestResult(_test, result) {
    if (result.numFailingTests === 0 && !result.testExecError) return;
    const file = specLogFile(result.testFilePath);
    if (!fs.existsSync(file)) return;
    const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
    if (lines.length === 0) return;
    const shown = lines.slice(-PRINTED_LINES);
    const which = shown.length < lines.length ? `the last ${shown.length} of ${lines.length} lines` : `${lines.length} lines`;
    process.stderr.write(
      `\n── what the processes of ${path.relative(ROOT, result.testFilePath)} logged (${which}; all of it in ${path.relative(ROOT, file)}) ──\n` +
        `${shown.join('\n')}\n── end of that log ──\n`,
    );
  }
}

module.exports = FailedSpecLogs;
module.exports.specLogFile = specLogFile;
