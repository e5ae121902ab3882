// npm run check:contracts — fails when a breaking change of schema/schema.graphql or schema/openapi.yaml
// against schema/released/ is not listed under "## Unreleased" in CHANGELOG.md (docs/contracts.md), or is a
// removal or type change that was not deprecated long enough before (docs/versioning.md).
// npm run contracts:release — records the current contracts as the released ones (after a release).
import { copyFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { breakingChanges } from '../../platform/contracts/breaking-changes.ts';

// --root DIR checks another checkout (the tests plant breaking changes in a copy).
const rootArg = process.argv.indexOf('--root');
const root = rootArg > 0 ? path.resolve(process.argv[rootArg + 1]) : path.resolve(import.meta.dirname, '../../..');
const file = (p: string) => path.join(root, p);

async function main(): Promise<number> {
  if (process.argv.includes('--release')) {
    await copyFile(file('schema/schema.graphql'), file('schema/released/schema.graphql'));
    await copyFile(file('schema/openapi.yaml'), file('schema/released/openapi.yaml'));
    process.stdout.write('schema/released/ now holds the current contracts.\n');
    return 0;
  }
  const read = (p: string) => readFile(file(p), 'utf8');
  const changes = await breakingChanges({
    releasedSdl: await read('schema/released/schema.graphql'),
    currentSdl: await read('schema/schema.graphql'),
    releasedOpenApi: await read('schema/released/openapi.yaml'),
    currentOpenApi: await read('schema/openapi.yaml'),
    changelog: await read('CHANGELOG.md'),
  });
  const unlisted = changes.filter((c) => !c.listed);
  const early = changes.filter((c) => c.policy);
  for (const c of changes) process.stdout.write(`${c.listed ? 'listed  ' : 'UNLISTED'} ${c.id}: ${c.message}\n`);
  for (const c of early) process.stdout.write(`TOO EARLY ${c.id}: ${c.policy}\n`);
  if (unlisted.length || early.length) {
    if (unlisted.length)
      process.stderr.write(
        `contracts: ${unlisted.length} breaking change(s) not listed under "## Unreleased" in CHANGELOG.md. ` +
          'Name each id there (or undo the change).\n',
      );
    if (early.length)
      process.stderr.write(
        `contracts: ${early.length} removal(s) or type change(s) before the deprecation period allows them ` +
          '(docs/versioning.md): deprecate first, or undo the change.\n',
      );
    return 1;
  }
  process.stdout.write(`contracts: ${changes.length} breaking change(s) against schema/released/, all listed\n`);
  return 0;
}

// exitCode, not exit(): a long report on a pipe must reach the reader whole before the process ends.
main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`contracts: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  },
);
