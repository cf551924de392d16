import { defineConfig, mergeConfig } from 'vitest/config';
import { packageTestConfig } from '../../vitest.shared.ts';

// The app's code lives in web/ (src/ would be overwritten by the root build-dist step, which owns src → dist).
export default mergeConfig(packageTestConfig({ testTimeout: 180_000 }), defineConfig({ test: { include: ['web/**/*.test.ts', 'test/**/*.test.ts'] } }));
