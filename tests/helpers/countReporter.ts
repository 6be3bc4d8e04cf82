// Writes the real pass/fail counts of the run to a file, so .ci/run can print the closing line
// `N passed, N failed` from them, and the names of the failed tests just above it: CI shows only the
// end of its output, and a failure scrolled out of it cannot be found again.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

export default class CountReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const failedNames: string[] = [];
    for (const mod of testModules) {
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') {
          failed++;
          failedNames.push(
            `${path.relative(process.cwd(), mod.moduleId)} > ${test.fullName}: ${firstLine(test.result().errors?.[0]?.message)}`,
          );
        } else skipped++;
      }
      // A file that failed to load has no tests but is a failure.
      if (mod.state() === 'failed' && [...mod.children.allTests()].length === 0) {
        failed++;
        failedNames.push(`${path.relative(process.cwd(), mod.moduleId)}: ${firstLine(mod.errors()[0]?.message)}`);
      }
    }
    const file = process.env.BESEDA_TEST_COUNTS;
    if (file) writeFileSync(file, JSON.stringify({ passed, failed, skipped, failedNames }));
  }
}

/** The first line of an error message, short enough for a summary line. */
function firstLine(message: string | undefined): string {
  return (message ?? 'no message').split('\n')[0]!.slice(0, 300);
}
