// The breaking-change gate of `npm run check` (docs/contracts.md): a planted breaking change in a copy of the
// contracts fails `npm run check:contracts` until CHANGELOG.md names it under "Unreleased"; a removal also needs
// the deprecation period of docs/versioning.md (deprecated in a release at least 90 days before).
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { repoRoot as root } from '../helpers/paths.ts';

const run = promisify(execFile);
const tmp: string[] = [];
afterAll(async () => {
  for (const d of tmp) await rm(d, { recursive: true, force: true });
});

async function copyOfContracts(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kc-contracts-'));
  tmp.push(dir);
  await mkdir(path.join(dir, 'schema/released'), { recursive: true });
  for (const f of [
    'schema/schema.graphql',
    'schema/openapi.yaml',
    'schema/released/schema.graphql',
    'schema/released/openapi.yaml',
    'CHANGELOG.md',
  ]) {
    await cp(path.join(root, f), path.join(dir, f));
  }
  return dir;
}

async function check(dir: string): Promise<{ code: number; out: string }> {
  const cli = path.join(root, 'src/main/cli/contracts.cli.ts');
  try {
    const r = await run(process.execPath, ['--import', 'tsx', cli, '--root', dir], { cwd: root });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
}

async function removeAvailableVariants(dir: string): Promise<void> {
  const sdlPath = path.join(dir, 'schema/schema.graphql');
  const sdl = await readFile(sdlPath, 'utf8');
  const planted = sdl.replace('type Product {\n  availableVariants: [Variant!]!\n', 'type Product {\n');
  expect(planted).not.toBe(sdl);
  await writeFile(sdlPath, planted);
}

async function listInUnreleased(dir: string): Promise<void> {
  const logPath = path.join(dir, 'CHANGELOG.md');
  const log = await readFile(logPath, 'utf8');
  const listed = log.replace(
    /### Breaking\n\n(\(none\)\n)?/,
    '### Breaking\n\n- `graphql Product.availableVariants`: removed.\n',
  );
  expect(listed).not.toBe(log);
  await writeFile(logPath, listed);
}

describe('breaking-change gate', () => {
  it('the checked-in contracts pass', async () => {
    expect((await check(await copyOfContracts())).code).toBe(0);
  }, 180_000);

  it('removing a GraphQL field that was never deprecated fails, listed or not', async () => {
    const dir = await copyOfContracts();
    await removeAvailableVariants(dir);
    const failed = await check(dir);
    expect(failed.code).toBe(1);
    expect(failed.out).toContain('UNLISTED graphql Product.availableVariants');

    await listInUnreleased(dir);
    const listed = await check(dir);
    expect(listed.code).toBe(1);
    expect(listed.out).not.toContain('UNLISTED');
    expect(listed.out).toContain(
      'TOO EARLY graphql Product.availableVariants: not deprecated in the released contract',
    );
  }, 180_000);

  it('removing a field deprecated in a release 91 days ago passes; 10 days ago is too early', async () => {
    for (const [days, passes] of [
      [91, true],
      [10, false],
    ] as const) {
      const dir = await copyOfContracts();
      // The released contract marked it deprecated, in a release dated `days` ago that said so in the changelog.
      const releasedPath = path.join(dir, 'schema/released/schema.graphql');
      const released = await readFile(releasedPath, 'utf8');
      const marked = released.replace(
        'type Product {\n  availableVariants: [Variant!]!\n',
        'type Product {\n  availableVariants: [Variant!]! @deprecated(reason: "Use images.")\n',
      );
      expect(marked).not.toBe(released);
      await writeFile(releasedPath, marked);
      const date = new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
      const logPath = path.join(dir, 'CHANGELOG.md');
      const log = await readFile(logPath, 'utf8');
      await writeFile(
        logPath,
        log.replace(
          /^## 2026-11-29/m,
          `## 0.9.0 — ${date}\n\n### Deprecated\n\n- \`graphql Product.availableVariants\`: use \`images\`.\n\n## 2026-11-29`,
        ),
      );
      await removeAvailableVariants(dir);
      await listInUnreleased(dir);
      const r = await check(dir);
      expect(r.code, r.out.slice(-400)).toBe(passes ? 0 : 1);
      if (!passes)
        expect(r.out).toContain(`TOO EARLY graphql Product.availableVariants: deprecated ${days} days ago (${date})`);
    }
  }, 180_000);

  it('removing a REST operation or adding a required parameter fails too', async () => {
    const dir = await copyOfContracts();
    const specPath = path.join(dir, 'schema/openapi.yaml');
    const spec = YAML.parse(await readFile(specPath, 'utf8'));
    // (On operations the Unreleased section does not list already: ids are per operation. HEAD of a product is
    // the one released operation it does not name; usage is un-named in the copy of the CHANGELOG.)
    delete spec.paths['/api/v1/products/{barcode}'].head;
    const usage = spec.paths['/api/v1/usage'].get;
    usage.parameters ??= [];
    usage.parameters.push({
      name: 'store',
      in: 'query',
      required: true,
      schema: { type: 'string' },
    });
    await writeFile(specPath, YAML.stringify(spec));
    const log = await readFile(path.join(dir, 'CHANGELOG.md'), 'utf8');
    await writeFile(path.join(dir, 'CHANGELOG.md'), log.replaceAll('openapi GET /api/v1/usage`', 'usage`'));
    const failed = await check(dir);
    expect(failed.code).toBe(1);
    expect(failed.out).toContain('UNLISTED openapi HEAD /api/v1/products/{barcode}: [Removed] operation');
    expect(failed.out).toContain('UNLISTED openapi GET /api/v1/usage: [Added] required query parameter `store`');
  }, 180_000);
});
