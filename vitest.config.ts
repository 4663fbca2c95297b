import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// vitest runs cpus - 1 files at a time, one on the 2-core CI machines; most test files spend
// their time waiting on loopback servers and child processes, so one file per core and one more
// keep both cores busy
const workers = availableParallelism() + 1;

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30000,
    hookTimeout: 30000,
    maxWorkers: workers,
    // a worker keeps its module cache from one test file to the next: each file importing src/
    // afresh was ~40% of the suite's CPU. Tests must therefore leave no module state behind (the
    // in-process runner resets what a run sets, test/helpers/in-process.ts); the suite passes with
    // its files shuffled (--sequence.shuffle.files)
    isolate: false,
  },
});
