/** `pnpm --filter @rank-collapse/playground build`: writes apps/playground/dist. */
import { statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildPlayground } from './build-playground.ts';

const started = performance.now();
const built = await buildPlayground();
const bytes = built.files.reduce((sum, f) => sum + statSync(join(built.outDir, f)).size, 0);
console.log(`playground: ${built.files.length} files, ${(bytes / 1e6).toFixed(1)} MB in ${relative(process.cwd(), built.outDir) || '.'} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
