// The reference's code samples (src/platform/docs-site/code-samples.ts): openapi.yaml holds, for every operation,
// curl, JavaScript, PHP and Python samples equal to the example files (which the clients' suites and
// test/clients/admin-samples.test.ts run), and `npm run check:samples` fails as soon as one drifts, naming the
// command that fixes it, or as soon as an operation has no samples.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  ADMIN_OPERATIONS,
  codeSamplesDrift,
  OPENAPI_FILE,
  SAMPLED_OPERATIONS,
  samplesFor,
  withCodeSamples,
} from '../../../src/platform/docs-site/code-samples.ts';
import { repoRoot } from '../../helpers/paths.ts';

const run = promisify(execFile);
type Operation = { operationId?: string; 'x-codeSamples'?: { lang: string; label: string; source: string }[] };
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kc-samples-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function operations(yaml: string): Map<string, Operation> {
  const doc = parse(yaml) as { paths: Record<string, Record<string, Operation>> };
  const ops = new Map<string, Operation>();
  for (const item of Object.values(doc.paths))
    for (const op of Object.values(item))
      if (op && typeof op === 'object' && op.operationId) ops.set(op.operationId, op);
  return ops;
}

describe('x-codeSamples', () => {
  it('openapi.yaml shows every operation in curl, JavaScript, PHP and Python, as the examples are', async () => {
    expect(codeSamplesDrift()).toBeNull();
    const ops = operations(await readFile(OPENAPI_FILE, 'utf8'));
    expect([...ops.keys()].sort()).toEqual([...Object.keys(SAMPLED_OPERATIONS), ...ADMIN_OPERATIONS].sort());
    for (const id of ops.keys()) {
      const samples = ops.get(id)?.['x-codeSamples'];
      expect(
        samples?.map((s) => s.label),
        id,
      ).toEqual(['curl', 'JavaScript', 'PHP', 'Python']);
      expect(samples, id).toEqual(samplesFor(id));
    }
    // The whole file of an example (PHP, Python, curl); the JavaScript sample is its function of operations.mjs.
    const php = await readFile(path.join(repoRoot, 'clients/php/examples/get_product.php'), 'utf8');
    expect(ops.get('getProduct')?.['x-codeSamples']?.[2].source).toBe(php);
    expect(ops.get('getProduct')?.['x-codeSamples']?.[1].source).toMatch(/export async function getProduct\(kc/);
    // An admin sample is its function of clients/admin/operations.*, after the file's code above its first
    // operation (the settings and the request helper), without the file's header comment.
    const admin = ops.get('adminGrantCredits')?.['x-codeSamples'] ?? [];
    expect(admin[0].source).toBe(await readFile(path.join(repoRoot, 'clients/admin/curl/grant_credits.sh'), 'utf8'));
    expect(admin[1].source).toMatch(/^import \{ readFile \} from 'node:fs\/promises';\n\nconst ADMIN_URL = /);
    expect(admin[1].source).toMatch(/\nasync function admin\(method, path, body, headers = \{\}\) \{\n/);
    expect(admin[1].source).toMatch(/\}\n\n\/\*\*[^\n]*\*\/\nexport async function adminGrantCredits\([\s\S]*\n\}\n$/);
    expect(admin[1].source).not.toMatch(/adminCreateAccount|runs every one/);
    expect(admin[2].source).toMatch(/^<\?php\ndeclare\(strict_types=1\);\n[\s\S]*\nfunction adminGrantCredits\(/);
    expect(admin[3].source).toMatch(/^import json\n[\s\S]*\n\n\ndef admin_grant_credits\([\s\S]*\)\n$/);
    expect(admin.map((x) => x.source.match(/function admin\w+|def admin_\w+/g))).toEqual([
      null,
      ['function adminGrantCredits'],
      ['function adminGrantCredits'],
      ['def admin_grant_credits'],
    ]);
  });

  it('an operation without samples fails check:samples and samples:write, naming it', async () => {
    const yaml = await readFile(OPENAPI_FILE, 'utf8');
    const extra = yaml.replace(
      /^ {2}\/api\/v1\/health:\n/m,
      '  /api/v1/ready:\n    get:\n      operationId: getReadiness\n      responses: {}\n  /api/v1/health:\n',
    );
    expect(extra).not.toBe(yaml);
    const file = path.join(dir, 'unsampled.yaml');
    await writeFile(file, extra);
    expect(codeSamplesDrift(file)).toMatch(/: getReadiness has no code samples; every operation needs its curl/);
    for (const args of [['--check'], []]) {
      const out = await run(
        process.execPath,
        ['--import', 'tsx', 'src/main/cli/code-samples.cli.ts', ...args, '--file', file],
        { cwd: repoRoot, timeout: 60_000 },
      ).then(
        () => ({ code: 0, stderr: '' }),
        (e: { code: number; stderr: string }) => e,
      );
      expect(out.code, args.join(' ')).toBe(1);
      expect(out.stderr).toMatch(/getReadiness has no code samples/);
    }
    expect(await readFile(file, 'utf8')).toBe(extra); // samples:write left it alone
  }, 90_000);

  it('rewriting is stable and touches nothing but the samples', async () => {
    const yaml = await readFile(OPENAPI_FILE, 'utf8');
    expect(withCodeSamples(yaml)).toBe(yaml);
    const stripped = yaml.replace(/^( +)x-codeSamples:\n(?:\1 .*\n|\n)*/gm, '');
    expect(stripped).not.toContain('x-codeSamples');
    expect(withCodeSamples(stripped)).toBe(yaml);
  });

  it('npm run check:samples fails on a drifted sample and names the fix', async () => {
    const yaml = await readFile(OPENAPI_FILE, 'utf8');
    const drifted = path.join(dir, 'openapi.yaml');
    await writeFile(drifted, yaml.replace("include: ['product_meta', 'images'],", "include: ['product_meta'],"));
    expect(codeSamplesDrift(drifted)).toMatch(
      /x-codeSamples differ from the clients' examples; run `npm run samples:write`/,
    );
    const check = await run(
      process.execPath,
      ['--import', 'tsx', 'src/main/cli/code-samples.cli.ts', '--check', '--file', drifted],
      {
        cwd: repoRoot,
        timeout: 60_000,
      },
    ).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('npm run samples:write');
  }, 90_000);
});
