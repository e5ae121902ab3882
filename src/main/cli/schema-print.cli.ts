// `npm run schema:print` writes schema/schema.graphql from the code (sorted, so diffs stay readable);
// `npm run schema:check` fails when the checked-in file is stale.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { schema } from '../schema.ts';

export const SCHEMA_FILE = path.resolve(import.meta.dirname, '../../../schema/schema.graphql');

export function printedSchema(): string {
  return printSchema(lexicographicSortSchema(schema)) + '\n';
}

async function main(): Promise<void> {
  const text = printedSchema();
  // --file lets a test point the check at a deliberately stale copy.
  const i = process.argv.indexOf('--file');
  const file = i > 0 ? path.resolve(process.argv[i + 1]) : SCHEMA_FILE;
  if (process.argv.includes('--check')) {
    const current = await readFile(file, 'utf8').catch(() => '');
    if (current !== text) {
      process.stderr.write(
        `${path.relative(process.cwd(), file)} is stale: run \`npm run schema:print\` and commit it.\n`,
      );
      process.exit(1);
    }
    process.stdout.write('schema/schema.graphql is up to date.\n');
    return;
  }
  await mkdir(path.dirname(SCHEMA_FILE), { recursive: true });
  await writeFile(SCHEMA_FILE, text);
  process.stdout.write(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) await main();
