// The console's build (docs/console-web.md): a static bundle under console/dist, served by the API server at
// /console. No inline script (the modulepreload polyfill would be one) and nothing from another origin, so the
// strict Content-Security-Policy of src/platform/console-site/console.routes.ts holds.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'vite';

const root = import.meta.dirname;

export default defineConfig({
  root,
  base: '/console/',
  publicDir: false,
  logLevel: 'warn',
  plugins: [
    {
      // The manifest of the operations this bundle sends by id (docs/console-web.md#persisted-operations): the
      // server registers it as persisted operations, so the console works under PERSISTED_OPERATIONS_ONLY.
      name: 'console-persisted-documents',
      generateBundle() {
        this.emitFile({
          type: 'asset',
          fileName: 'persisted-documents.json',
          source: readFileSync(path.join(root, 'src/gql/persisted-documents.json'), 'utf8'),
        });
      },
    },
  ],
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: path.join(root, 'dist'),
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
    target: 'es2022',
    reportCompressedSize: false,
  },
});
