// clients/typescript/src/openapi.d.ts is generated from schema/openapi.yaml by openapi-typescript and checked in
// (the client's types are built on it, and installing the client must not need the generator). This fails when
// the contract changed and the file was not regenerated: `cd clients/typescript && npm run generate`.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');

describe('clients/typescript/src/openapi.d.ts', () => {
  it('is what openapi-typescript generates from schema/openapi.yaml today', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kc-openapi-types-'));
    try {
      const out = path.join(dir, 'openapi.d.ts');
      await run(path.join(root, 'node_modules/.bin/openapi-typescript'), ['schema/openapi.yaml', '-o', out], {
        cwd: root,
      });
      const fresh = await readFile(out, 'utf8');
      const checkedIn = await readFile(path.join(root, 'clients/typescript/src/openapi.d.ts'), 'utf8');
      expect(checkedIn === fresh, 'stale: run `npm run generate` in clients/typescript').toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
