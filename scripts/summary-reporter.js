// A jest reporter that ends the run with one plain line, "N passed, N failed, N skipped", which CI
// reads (jest's own summary has another form). It is written when the process exits, so that it
// comes after the coverage table.
'use strict';

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const { numPassedTests, numFailedTests, numPendingTests, numTodoTests } = results;
    const line = `tests: ${numPassedTests} passed, ${numFailedTests} failed, ${numPendingTests + numTodoTests} skipped\n`;
    process.once('exit', () => process.stdout.write(line));
  }
}

module.exports = SummaryReporter;
