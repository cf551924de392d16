/** `pnpm playground`: serves apps/playground/dist on http://127.0.0.1:5180/ (PORT overrides) until Ctrl-C. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_OUT_DIR } from './build-playground.ts';
import { startStaticServer } from './static-server.ts';

if (!existsSync(join(DEFAULT_OUT_DIR, 'index.html'))) {
  console.error('playground: dist/ is not built; run `pnpm --filter @rank-collapse/playground build` (or `pnpm playground`, which builds first)');
  process.exit(1);
}
const { url } = await startStaticServer(DEFAULT_OUT_DIR, Number(process.env.PORT ?? 5180));
console.log(`playground: ${url} (Ctrl-C stops)`);
