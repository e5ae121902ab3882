// The signature snippets of docs/guides/keep-your-catalog-in-sync.md (TypeScript, Python, PHP), run as written
// against a real delivery: each accepts it, and refuses a tampered body and another secret. python3 and php
// must be installed (.ci/run installs php-cli when it is missing); in CI a missing one fails the test.

import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { repoRoot as ROOT } from '../../helpers/paths.ts';
import { adminProduct, barcode, putProduct, seed } from '../../helpers/testkit.ts';
import { mustRunWith } from '../../helpers/tools.ts';
import { type Received, type Receiver, startReceiver } from '../../helpers/webhook-receiver.ts';

const guide = readFileSync(path.join(ROOT, 'docs/guides/keep-your-catalog-in-sync.md'), 'utf8');

function snippet(lang: string): string {
  const m = new RegExp(`\`\`\`${lang} verify-snippet\\n([\\s\\S]*?)\\n\`\`\``).exec(guide);
  if (!m) throw new Error(`no ${lang} verify-snippet in the guide`);
  return m[1];
}

/** Each harness reads {secret, headers, body} as JSON on stdin and prints "ok <type>" or "error <message>". */
const HARNESS = {
  ts: `
import { verifyWebhook } from './snippet.ts';
const input = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
try { console.log('ok ' + verifyWebhook(input.secret, input.headers, input.body).type); }
catch (e) { console.log('error ' + (e as Error).message); }
`,
  python: `
import json, sys
sys.path.insert(0, sys.argv[1])
from snippet import verify_webhook
i = json.load(sys.stdin)
try:
    print("ok " + verify_webhook(i["secret"], i["headers"], i["body"].encode())["type"])
except ValueError as e:
    print("error " + str(e))
`,
  php: `<?php
require __DIR__ . '/snippet.php';
$i = json_decode(stream_get_contents(STDIN), true);
try { echo 'ok ' . verify_webhook($i['secret'], $i['headers'], $i['body'])['type'] . "\\n"; }
catch (Throwable $e) { echo 'error ' . $e->getMessage() . "\\n"; }
`,
};

let app: TestApp;
let rcv: Receiver;
let dir: string;
let secret: string;
let delivery: Received;

beforeAll(async () => {
  app = await startTestApp({ env: { WEBHOOKS_POLL_MS: '100' } });
  rcv = await startReceiver();
  const client = await seed(app).client();
  secret = (await client.webhook({ url: rcv.url, events: ['product.created'] })).secret;
  await putProduct(app, barcode(13), adminProduct({ product_name: 'במבה' }));
  await rcv.waitFor((r) => r.accepted().length === 1, 5000);
  delivery = rcv.accepted()[0];
  dir = mkdtempSync(path.join(os.tmpdir(), 'kc-guide-'));
  writeFileSync(path.join(dir, 'snippet.ts'), snippet('ts'));
  writeFileSync(path.join(dir, 'harness.ts'), HARNESS.ts);
  writeFileSync(path.join(dir, 'snippet.py'), snippet('python'));
  writeFileSync(path.join(dir, 'harness.py'), HARNESS.python);
  writeFileSync(path.join(dir, 'snippet.php'), snippet('php'));
  writeFileSync(path.join(dir, 'harness.php'), HARNESS.php);
});
afterAll(async () => {
  await rcv?.close();
  await app?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const RUNNERS: Record<string, () => [string, string[]]> = {
  TypeScript: () => [process.execPath, ['--import', 'tsx', path.join(dir, 'harness.ts')]],
  Python: () => ['python3', [path.join(dir, 'harness.py'), dir]],
  PHP: () => ['php', [path.join(dir, 'harness.php')]],
};

function run(lang: string, input: { secret: string; headers: Record<string, string>; body: string }): string {
  const [cmd, args] = RUNNERS[lang]();
  const r = spawnSync(cmd, args, { cwd: ROOT, input: JSON.stringify(input), encoding: 'utf8', timeout: 30_000 });
  if (r.error) throw new Error(`${lang}: cannot run ${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${lang}: exit ${r.status}: ${r.stderr}`);
  return r.stdout.trim();
}

describe("the guide's signature verification snippets", () => {
  for (const lang of Object.keys(RUNNERS)) {
    const tool = { TypeScript: 'node', Python: 'python3', PHP: 'php' }[lang]!;
    it.runIf(mustRunWith(tool, `apt-get install ${tool === 'php' ? 'php-cli' : tool}`))(
      `${lang}: accepts a real delivery, refuses a tampered body and another secret`,
      () => {
        const headers = {
          'webhook-id': delivery.id,
          'webhook-timestamp': delivery.timestamp,
          'webhook-signature': delivery.signature,
        };
        expect(run(lang, { secret, headers, body: delivery.raw })).toBe('ok product.created');
        expect(run(lang, { secret, headers, body: delivery.raw.replace('product.created', 'product.updated') })).toBe(
          'error bad signature',
        );
        expect(run(lang, { secret: `whsec_${randomBytes(32).toString('base64')}`, headers, body: delivery.raw })).toBe(
          'error bad signature',
        );
        expect(
          run(lang, { secret, headers: { ...headers, 'webhook-timestamp': '1000000000' }, body: delivery.raw }),
        ).toMatch(/^error timestamp/);
      },
    );
  }
});
