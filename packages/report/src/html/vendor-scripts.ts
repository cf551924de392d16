/** The browser builds of vega, vega-lite and vega-embed, read from node_modules to be inlined in the report. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** [package, file of its UMD build next to its main entry]. Order matters: vega-embed needs the other two. */
const BUILDS = [
  ['vega', 'vega.min.js'],
  ['vega-lite', 'vega-lite.min.js'],
  ['vega-embed', 'vega-embed.min.js'],
] as const;

let cache: string[] | undefined;

/**
 * Source texts of the three UMD builds, in load order; read once per process.
 * @throws Error when a package or its build is missing (a broken install).
 */
export function vendorScripts(): string[] {
  cache ??= BUILDS.map(([name, file]) => {
    const source = readFileSync(join(dirname(require.resolve(name)), file), 'utf8');
    // Inlined code must not close its <script> element early.
    return source.replace(/<\/script/gi, '<\\/script');
  });
  return cache;
}
