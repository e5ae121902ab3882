// The TypeScript reference client (clients/typescript) against the live harness: its own node:test suite run with
// the env of a provisioned language, and the package installed offline into a fresh project and used from plain
// JavaScript (and its types from a TypeScript consumer), as a customer would.
import { execFile, spawn } from 'node:child_process';
import { lstat, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LiveServer, provisionLanguage, startLiveServer } from './live-server.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const clientDir = path.join(root, 'clients/typescript');

let server: LiveServer;
let env: Record<string, string>;

beforeAll(async () => {
  server = await startLiveServer();
  env = await provisionLanguage(server, 'typescript');
});
afterAll(async () => {
  await server?.close();
});

/** The environment without npm's own variables (set when the suite runs under `npm test`), plus `extra`. */
function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^npm_/i.test(k)) out[k] = v;
  return { ...out, ...extra };
}

/** Runs a command to its end (bounded by `timeoutMs`); resolves with its exit code and merged output. */
function runToEnd(cmd: string, args: string[], opts: { cwd: string; env: Record<string, string>; timeoutMs: number }) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('clients/typescript', () => {
  it('passes its live suite (node --test) against the harness', async () => {
    const files = (await readdir(path.join(clientDir, 'test'))).filter((f) => f.endsWith('.test.mjs')).sort();
    expect(files.length).toBeGreaterThanOrEqual(7);
    const { code, output } = await runToEnd(
      process.execPath,
      ['--test', '--test-concurrency=1', '--test-reporter=spec', ...files.map((f) => `test/${f}`)],
      { cwd: clientDir, env: cleanEnv(env), timeoutMs: 110_000 },
    );
    if (code !== 0) console.error(output);
    expect(code, output).toBe(0);
    expect(output).toMatch(/ℹ fail 0/);
    expect(output).toMatch(/ℹ skipped 0/);
  }, 120_000);

  it('installs offline into a fresh project and works from plain JavaScript and TypeScript', async () => {
    // npm resolves a dependency by its full registry document, which `npm ci` does not keep in the cache; add the
    // client's dependencies (exact versions from the repository's lock) to the cache first. --prefer-offline
    // makes this a no-op once they are there; the install below itself is --offline.
    const lock = JSON.parse(await readFile(path.join(root, 'package-lock.json'), 'utf8')).packages as Record<
      string,
      { version: string; dependencies?: Record<string, string> }
    >;
    const clientPkg = JSON.parse(await readFile(path.join(clientDir, 'package.json'), 'utf8'));
    const specs = new Set<string>();
    const visit = (name: string) => {
      const entry = lock[`node_modules/${name}`];
      if (!entry) throw new Error(`${name} is not in the repository's package-lock.json`);
      const spec = `${name}@${entry.version}`;
      if (specs.has(spec)) return;
      specs.add(spec);
      for (const dep of Object.keys(entry.dependencies ?? {})) visit(dep);
    };
    for (const dep of Object.keys(clientPkg.dependencies ?? {})) visit(dep);
    const npmEnv = cleanEnv();
    await run('npm', ['cache', 'add', '--prefer-offline', ...specs], { env: npmEnv, timeout: 60_000 });

    const project = await mkdtemp(path.join(os.tmpdir(), 'kc-client-install-'));
    try {
      await writeFile(
        path.join(project, 'package.json'),
        JSON.stringify({ name: 'kc-install-check', version: '1.0.0', private: true, type: 'module' }),
      );
      // --install-links: a real copy of the package with its own dependencies, as from a registry; without it npm
      // would only symlink the folder.
      const install = await runToEnd(
        'npm',
        ['install', '--offline', '--install-links', '--no-audit', '--no-fund', clientDir],
        { cwd: project, env: npmEnv, timeoutMs: 60_000 },
      );
      expect(install.code, install.output).toBe(0);
      const installed = path.join(project, 'node_modules/@kosher-catalog/client');
      expect((await lstat(installed)).isSymbolicLink()).toBe(false);
      expect((await lstat(path.join(project, 'node_modules/standardwebhooks'))).isDirectory()).toBe(true);

      // Plain JavaScript, no loader: a billed read through the proxy, and a webhook verified.
      await writeFile(
        path.join(project, 'use.mjs'),
        `import { createHmac } from 'node:crypto';
import { KosherCatalog, verifyWebhook, KosherCatalogError } from '@kosher-catalog/client';
const kc = new KosherCatalog({ baseUrl: process.env.KC_BASE_URL, clientId: process.env.KC_CLIENT_ID, apiKey: process.env.KC_API_KEY });
const { data, bill } = await kc.getProduct(process.env.KC_BARCODE, { include: ['product_meta'] });
const secret = 'whsec_' + Buffer.alloc(32, 7).toString('base64');
const id = 'msg_1', ts = String(Math.floor(Date.now() / 1000)), body = '{"type":"product.updated","data":{"barcode":"1"}}';
const sig = createHmac('sha256', Buffer.alloc(32, 7)).update(id + '.' + ts + '.' + body).digest('base64');
const event = verifyWebhook(secret, { 'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': 'v1,' + sig }, body);
let code = null;
try { await kc.getProduct('123'); } catch (e) { code = e instanceof KosherCatalogError ? e.code : String(e); }
console.log(JSON.stringify({ brand: data.product_meta.brand, debited: bill.creditsDebited, mode: kc.mode, event: event.type, code }));
`,
      );
      const used = await runToEnd(process.execPath, ['use.mjs'], {
        cwd: project,
        env: cleanEnv(env),
        timeoutMs: 30_000,
      });
      expect(used.code, used.output).toBe(0);
      expect(JSON.parse(used.output.trim().split('\n').pop()!)).toEqual({
        brand: 'Cheerios',
        debited: 0.5,
        mode: 'live',
        event: 'product.updated',
        code: 'invalid_barcode',
      });

      // The types resolve through the package's exports for a TypeScript consumer (no @types/node needed).
      await writeFile(
        path.join(project, 'use.ts'),
        `import { KosherCatalog, type Product, type Bill } from '@kosher-catalog/client';
import type { components } from '@kosher-catalog/client/openapi';
export const variant: components['schemas']['Variant'] = 'front_clean';
const kc = new KosherCatalog({ baseUrl: 'http://x', clientId: 'c', apiKey: 'kc_live_x' });
export async function brand(b: string): Promise<[string | undefined, Bill]> {
  const { data, bill }: { data: Product; bill: Bill } = await kc.getProduct(b, { include: ['product_meta'], imageSize: 'thumb' });
  return [data.product_meta?.brand, bill];
}
// @ts-expect-error: an include the API does not know does not compile
kc.getProduct('1', { include: ['pictures'] });
`,
      );
      await writeFile(
        path.join(project, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            strict: true,
            noEmit: true,
            module: 'nodenext',
            moduleResolution: 'nodenext',
            target: 'es2022',
            lib: ['es2022', 'dom'],
            types: [],
          },
          files: ['use.ts'],
        }),
      );
      const tsc = await runToEnd(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', '.'], {
        cwd: project,
        env: npmEnv,
        timeoutMs: 60_000,
      });
      expect(tsc.code, tsc.output).toBe(0);
    } finally {
      await rm(project, { recursive: true, force: true });
    }
  }, 120_000);
});
