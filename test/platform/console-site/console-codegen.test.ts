// The console's typed operations are current: graphql-codegen over schema/schema.graphql and the operations in
// console/src regenerates exactly the checked-in console/src/gql (run `npm run codegen:console` after changing
// either). A schema change that breaks an operation of the console fails here, before any browser starts.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generate } from '@graphql-codegen/cli';
import { afterAll, describe, expect, it } from 'vitest';
import config from '../../../console/codegen.ts';
import { repoRoot as root } from '../../helpers/paths.ts';

let tmp: string | undefined;
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('console codegen', () => {
  it('regenerates the checked-in console/src/gql from the schema and the console operations', async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'kc-console-codegen-'));
    const out = `${path.join(tmp, 'gql')}/`;
    const [target] = Object.values(config.generates);
    const cwd = process.cwd();
    process.chdir(root);
    try {
      await generate({ ...config, generates: { [out]: target }, silent: true }, true);
    } finally {
      process.chdir(cwd);
    }
    const checkedIn = path.join(root, 'console/src/gql');
    const files = (await readdir(checkedIn)).sort();
    expect((await readdir(out)).sort()).toEqual(files);
    for (const f of files)
      expect(await readFile(path.join(out, f), 'utf8'), f).toBe(await readFile(path.join(checkedIn, f), 'utf8'));
  }, 60_000);
});
