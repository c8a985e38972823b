// A jest reporter that ends the run with one plain line, "N passed, N failed, N skipped", which CI
// reads (jest's own summary has another form). It is written when the process exits, so that it
// comes after the coverage table. Suites skipped for a missing service (their title starts with
// "[skipped: why]", see __tests__/helpers/redis.ts) are named on that line with the reason.
'use strict';

const { setTimeout } = require('node:timers');

const SKIP_TAG = /^\[skipped: (.+?)\]/;
/** How long a finished run may take to exit before the guard below ends it. */
const GRACE_MS = 30_000;

/** "N skipped: reason" for every reason found in the titles of skipped tests. */
function skipReasons(results) {
  const counts = new Map();
  for (const file of results.testResults) {
    for (const test of file.testResults) {
      if (test.status !== 'pending') continue;
      const match = SKIP_TAG.exec(test.ancestorTitles[0] ?? '');
      if (match) counts.set(match[1], (counts.get(match[1]) ?? 0) + 1);
    }
  }
  return [...counts].map(([reason, n]) => `${n} skipped, ${reason}`);
}

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const { numPassedTests, numFailedTests, numPendingTests, numTodoTests } = results;
    const reasons = skipReasons(results);
    const why = reasons.length > 0 ? ` (${reasons.join('; ')})` : '';
    const line = `tests: ${numPassedTests} passed, ${numFailedTests} failed, ${numPendingTests + numTodoTests} skipped${why}\n`;
    let written = false;
    const write = () => {
      if (written) return;
      written = true;
      process.stdout.write(line);
    };
    process.once('exit', write);
    // Last resort, for a run that is over but cannot exit: every test has finished and reported,
    // yet something (a socket a failed test could not close, a client still retrying) keeps the
    // process alive. Tests close what they open, so this never fires in a healthy run; when it does,
    // the run still ends, with its closing line and a failing status, instead of hanging until a
    // CI timeout kills it without one. The timer is unref'd: it never keeps a finished run alive.
    const guard = setTimeout(() => {
      write();
      process.stderr.write(`the test run ended ${GRACE_MS / 1000} s ago but something kept the process alive; exiting\n`);
      process.exit(1);
    }, GRACE_MS);
    guard.unref();
  }
}

module.exports = SummaryReporter;
