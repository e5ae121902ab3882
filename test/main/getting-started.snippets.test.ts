// The first five minutes, verbatim: `npm start` (development, empty database) prints a banner naming /docs and
// /graphql and the demo clients' credentials; the four snippets of docs/guides/getting-started.md (curl, JavaScript,
// Python, PHP), taken from the guide's fenced blocks with only the base URL and the credentials changed, run with
// curl/node/python3/php against it. Each reads 017000161563 and shows its bill: with the live key the balance falls
// by exactly that bill; with the test key the same bill is reported in test mode and the balance does not move.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { hasBinary } from '../helpers/tools.ts';

const run = promisify(execFile);
const GUIDE = path.join(repoRoot, 'docs/guides/getting-started.md');
const SECTION = '## 2. Your first call, in four languages';
// What the guide's snippets say, to be replaced by what the banner printed.
const GUIDE_BASE = 'http://127.0.0.1:3000';
const GUIDE_CLIENT_ID = 'cl_…';
const GUIDE_KEY = 'kc_live_…';
const BARCODE = '017000161563';
const GET_SCOPE_UNITS = 5_000; // include=product_meta: 0.5 credits (docs/billing.md)

/** How each fenced block of the section runs: its file name and the command. */
const RUNNERS: Record<string, { file: string; cmd: string }> = {
  sh: { file: 'first-call.sh', cmd: 'bash' },
  js: { file: 'first-call.mjs', cmd: process.execPath },
  python: { file: 'first_call.py', cmd: 'python3' },
  php: { file: 'first-call.php', cmd: 'php' },
};

interface Started {
  child: ChildProcess;
  url: string;
  banner: string;
}

let db: TestDatabase;
let dataDir: string;
let workDir: string;
let server: Started | undefined;

/** `npm start`'s command (package.json) as a child process; resolves once its banner (the last thing printed) is out. */
function npmStart(env: Record<string, string>): Promise<Started> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--import', './src/platform/telemetry/register.ts', 'src/main/main.ts'],
    { cwd: repoRoot, env: { PATH: process.env.PATH ?? '', PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner in time:\n${stdout}\n${stderr}`)), 90_000);
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => {
      stderr += d;
      const m = /Kosher Catalog API: (\S+)[\s\S]*\n\n$/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1], banner: stderr });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${stdout}\n${stderr}`));
    });
  });
}

function stop(s: Started | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (!s || s.child.exitCode !== null || s.child.signalCode !== null) return resolve();
    s.child.once('exit', () => resolve());
    s.child.kill('SIGTERM');
  });
}

/** The fenced blocks of the guide's first-call section, by language tag. */
async function guideSnippets(): Promise<Map<string, string>> {
  const guide = await readFile(GUIDE, 'utf8');
  const from = guide.indexOf(SECTION);
  expect(from, `the guide has the section "${SECTION}"`).toBeGreaterThan(0);
  const section = guide.slice(from, guide.indexOf('\n## ', from + SECTION.length));
  const blocks = new Map<string, string>();
  for (const m of section.matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)) blocks.set(m[1], m[2]);
  return blocks;
}

async function balanceUnits(url: string, clientId: string, apiKey: string): Promise<number> {
  const auth = await fetch(`${url}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: clientId, api_key: apiKey }),
  });
  const { access_token } = (await auth.json()) as { access_token: string };
  const res = await fetch(`${url}/api/v1/balance`, { headers: { authorization: `Bearer ${access_token}` } });
  const { credits_remaining } = (await res.json()) as { credits_remaining: number };
  return Math.round(credits_remaining * 10_000);
}

/** Runs one snippet with the base URL and credentials replaced; returns what it printed. */
async function runSnippet(lang: string, source: string, url: string, clientId: string, apiKey: string) {
  const { file, cmd } = RUNNERS[lang];
  for (const placeholder of [GUIDE_BASE, GUIDE_CLIENT_ID, GUIDE_KEY])
    expect(source, `the ${lang} snippet names ${placeholder}`).toContain(placeholder);
  const text = source.replaceAll(GUIDE_BASE, url).replaceAll(GUIDE_CLIENT_ID, clientId).replaceAll(GUIDE_KEY, apiKey);
  const target = path.join(workDir, file);
  await writeFile(target, text);
  const { stdout } = await run(cmd, [target], { cwd: workDir, timeout: 30_000 });
  return stdout;
}

/** The bill a snippet's output shows: curl prints the JSON answer, the others a "cost … credits" line. */
function shownBill(lang: string, stdout: string): { units: number; testMode: boolean | null } {
  if (lang === 'sh') {
    const body = JSON.parse(stdout) as { barcode: string; meta: { credits_debited: number; test_mode?: boolean } };
    expect(body.barcode).toBe(BARCODE);
    return { units: Math.round(body.meta.credits_debited * 10_000), testMode: body.meta.test_mode === true };
  }
  const cost = /^cost ([\d.]+) credits, ([\d.]+) left$/m.exec(stdout);
  expect(cost, stdout).not.toBeNull();
  return { units: Math.round(Number(cost![1]) * 10_000), testMode: null };
}

const tools = ['curl', 'python3', 'php', 'bash'].filter((t) => !hasBinary(t));

beforeAll(async () => {
  db = await createTestDatabase();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'kc-first-five-'));
  workDir = await mkdtemp(path.join(os.tmpdir(), 'kc-snippets-'));
  server = await npmStart({ NODE_ENV: 'development', DATABASE_URL: db.url, DATA_DIR: dataDir, DEMO_PRODUCTS: '3' });
}, 120_000);
afterAll(async () => {
  await stop(server);
  await db?.drop();
  for (const dir of [dataDir, workDir]) if (dir) await rm(dir, { recursive: true, force: true });
});

describe('getting started, verbatim', () => {
  it('the banner names the reference, GraphiQL, both consoles, and the demo credentials', () => {
    const { url, banner } = server!;
    expect(banner).toContain(`${url}/docs`);
    expect(banner).toContain(`${url}/graphql`);
    expect(banner).toContain(`${url}/console\n`);
    // No ADMIN_PORT here: the operator console is on the one listener.
    expect(banner).toContain(`${url}/console/admin`);
    expect(banner).toMatch(/^ {2}client_id: cl_\S+$/m);
    expect(banner).toMatch(/^ {2}test api_key: {3}kc_test_\S+$/m);
  });

  it('the four snippets of the guide run as written against npm start: live, then with the test key', async () => {
    expect(tools, 'curl, bash, python3 and php are installed (CI installs them, .ci/run)').toEqual([]);
    const { url, banner } = server!;
    const live = {
      clientId: /^ {2}client_id: (\S+)$/m.exec(banner)![1],
      apiKey: /^ {2}api_key: {3}(\S+)$/m.exec(banner)![1],
    };
    const test = {
      clientId: /^ {2}test client_id: (\S+)$/m.exec(banner)![1],
      apiKey: /^ {2}test api_key: {3}(\S+)$/m.exec(banner)![1],
    };
    const snippets = await guideSnippets();
    expect([...snippets.keys()].sort()).toEqual(['js', 'php', 'python', 'sh']);

    for (const [lang, source] of snippets) {
      const before = await balanceUnits(url, live.clientId, live.apiKey);
      const out = await runSnippet(lang, source, url, live.clientId, live.apiKey);
      const bill = shownBill(lang, out);
      expect(bill.units, `${lang}: ${out}`).toBe(GET_SCOPE_UNITS);
      if (bill.testMode !== null) expect(bill.testMode).toBe(false);
      expect(before - (await balanceUnits(url, live.clientId, live.apiKey)), `${lang} charged its bill once`).toBe(
        GET_SCOPE_UNITS,
      );
    }
    for (const [lang, source] of snippets) {
      const before = await balanceUnits(url, live.clientId, live.apiKey);
      // The first test-mode read may seed the sandbox (a few seconds), well inside the snippet's timeout.
      const out = await runSnippet(lang, source, url, test.clientId, test.apiKey);
      const bill = shownBill(lang, out);
      expect(bill.units, `${lang} (test key): ${out}`).toBe(GET_SCOPE_UNITS);
      if (bill.testMode !== null) expect(bill.testMode).toBe(true);
      expect(await balanceUnits(url, live.clientId, live.apiKey), `${lang} (test key) moved no credit`).toBe(before);
    }
  }, 180_000);
});
