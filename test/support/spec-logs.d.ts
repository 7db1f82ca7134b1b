/** The log file of the spec at `testPath` (test/support/spec-logs.js, which also prints it when the spec fails). */
export function specLogFile(testPath: string): string;
