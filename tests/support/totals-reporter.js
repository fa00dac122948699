// Prints jest's totals as one plain line, `N passed, N failed`, which CI reads.
class TotalsReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + (results.numRuntimeErrorTestSuites || 0);
    process.stdout.write(`${results.numPassedTests} passed, ${failed} failed\n`);
  }
}
module.exports = TotalsReporter;
