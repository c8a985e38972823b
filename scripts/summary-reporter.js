// A jest reporter that ends the run with one plain line, "N passed, N failed, N skipped", which CI
// reads (jest's own summary has another form). It is written when the process exits, so that it
// comes after the coverage table. Suites skipped for a missing service (their title starts with
// "[skipped: why]", see __tests__/helpers/redis.ts) are named on that line with the reason.
'use strict';

const SKIP_TAG = /^\[skipped: (.+?)\]/;

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
    process.once('exit', () => process.stdout.write(line));
  }
}

module.exports = SummaryReporter;
