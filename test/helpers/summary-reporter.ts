/**
 * Prints the closing line CI reads: `N passed, N failed, N skipped`. A test file that fails to
 * load counts as one failed test, so a broken suite can never pass by having no tests.
 */
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, errors: ReadonlyArray<unknown>) {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const m of modules) {
      let count = 0;
      for (const t of m.children.allTests()) {
        count += 1;
        const s = t.result().state;
        if (s === 'passed') passed += 1;
        else if (s === 'failed') failed += 1;
        else skipped += 1;
      }
      if (m.state() === 'failed' && count === 0) failed += 1;
    }
    failed += errors.length;
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
