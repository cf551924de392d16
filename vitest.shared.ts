import { defineConfig } from 'vitest/config';

/** Shared vitest settings: run from `src` through the `source` export condition, no build needed. */
export function packageTestConfig(options: { testTimeout?: number } = {}) {
  return defineConfig({
    resolve: { conditions: ['source'] },
    ssr: { resolve: { conditions: ['source'] } },
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: options.testTimeout ?? 60_000,
      reporters: ['default', 'json'],
      outputFile: { json: '.vitest-result.json' },
      pool: 'forks',
    },
  });
}
