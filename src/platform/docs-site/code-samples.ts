// The API reference's code samples (OpenAPI `x-codeSamples`, shown by /docs next to each operation) are generated
// from the reference clients' examples, never written by hand into schema/openapi.yaml: every sample is a file a
// test runs against a live server (clients/curl/examples by test/clients/curl-examples.test.ts, the others by each
// client's own suite; the admin API's plain-HTTP samples in clients/admin by test/clients/admin-samples.test.ts),
// so the reference cannot show a call that does not work. Every operation has samples. `npm run samples:write`
// rewrites them; `npm run check:samples` fails when openapi.yaml's samples differ from the examples, or when an
// operation has none.
import { readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../../..');
export const OPENAPI_FILE = path.join(ROOT, 'schema/openapi.yaml');
const EXAMPLES = {
  curl: path.join(ROOT, 'clients/curl/examples'),
  js: path.join(ROOT, 'clients/typescript/examples/operations.mjs'),
  php: path.join(ROOT, 'clients/php/examples'),
  python: path.join(ROOT, 'clients/python/examples'),
};

/**
 * A file of admin samples: plain HTTP, no client (the reference clients are for customers, docs/admin.md), one
 * function per operation. `fn` matches each operation's function with its doc comment (group 1: the name; the
 * request helper every function calls is not matched), `header` the file's own leading comment, which the
 * reference leaves out; `open` is put back before the rest (PHP's opening tag), `gap` goes between the code above
 * the first operation and the function.
 */
interface FunctionFile {
  file: string;
  fn: RegExp;
  header: RegExp;
  open: string;
  gap: string;
}

const ADMIN_DIR = path.join(ROOT, 'clients/admin');
const ADMIN_FILES: Record<'js' | 'php' | 'python', FunctionFile> = {
  js: {
    file: path.join(ADMIN_DIR, 'operations.mjs'),
    fn: /^\/\*\*[^\n]*\*\/\nexport async function (\w+)\([\s\S]*?^\}$/gm,
    header: /^(?:\/\/.*\n)+/,
    open: '',
    gap: '\n\n',
  },
  php: {
    file: path.join(ADMIN_DIR, 'operations.php'),
    fn: /^\/\*\*[^\n]*\*\/\nfunction (admin\w+)\([\s\S]*?^\}$/gm,
    header: /^<\?php\n(?:\/\/.*\n)+/,
    open: '<?php\n',
    gap: '\n\n',
  },
  python: {
    file: path.join(ADMIN_DIR, 'operations.py'),
    fn: /^def (admin_\w+)\([\s\S]*?(?=\n\n\n|\n?(?![\s\S]))/gm,
    header: /^"""[\s\S]*?"""\n/,
    open: '',
    gap: '\n\n\n',
  },
};

/**
 * Every admin operation; each is shown by its function of clients/admin/operations.mjs and .php (named as the
 * operation), of operations.py (in snake_case), and by clients/admin/curl/<the name without admin, snake_case>.sh.
 * @internal Exported for its tests (test/clients/admin-samples.test.ts runs every one).
 */
export const ADMIN_OPERATIONS: readonly string[] = [
  'adminCreateAccount',
  'adminGetAccount',
  'adminCreateClient',
  'adminListClients',
  'adminGetClient',
  'adminUpdateClient',
  'adminRotateKey',
  'adminRevokeClientSessions',
  'adminGrantCredits',
  'adminSetPricing',
  'adminChangeSandboxProduct',
  'adminUpsertProduct',
  'adminUploadImage',
  'adminTraceImageUrl',
  'adminIdentifyImage',
  'adminMetrics',
  'adminListWebhooks',
  'adminWebhookStats',
  'adminGetWebhook',
  'adminDisableWebhook',
  'adminEnableWebhook',
  'adminListWebhookDeliveries',
];

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Where an admin operation's samples are.  @internal Exported for its tests. */
export function adminExample(operationId: string) {
  return {
    curl: path.join(ADMIN_DIR, 'curl', `${snake(operationId).replace(/^admin_/, '')}.sh`),
    js: operationId,
    php: operationId,
    python: snake(operationId),
  };
}

/** One operation's function of an admin samples file, after the code above the file's first operation. */
function functionSample(f: FunctionFile, name: string): string {
  const text = readFileSync(f.file, 'utf8');
  const fns = [...text.matchAll(f.fn)];
  const found = fns.find((m) => m[1] === name);
  if (!found || fns[0].index === undefined)
    throw new Error(`${path.relative(ROOT, f.file)} has no function ${name} (with a one-line doc comment)`);
  const preamble = text.slice(f.header.exec(text)?.[0].length ?? 0, fns[0].index).trim();
  return `${f.open}${preamble}${f.gap}${found[0].trim()}\n`;
}

function adminSamples(operationId: string): CodeSample[] {
  const ex = adminExample(operationId);
  return [
    { lang: 'Shell', label: 'curl', source: read(ex.curl) },
    { lang: 'JavaScript', label: 'JavaScript', source: functionSample(ADMIN_FILES.js, ex.js) },
    { lang: 'PHP', label: 'PHP', source: functionSample(ADMIN_FILES.php, ex.php) },
    { lang: 'Python', label: 'Python', source: functionSample(ADMIN_FILES.python, ex.python) },
  ];
}

/**
 * Which example shows each sampled operation: curl/PHP/Python file names (no extension), the JS function name.
 * @internal Exported for its tests (test/clients/curl-examples.test.ts runs every curl file named here).
 */
export const SAMPLED_OPERATIONS: Record<string, { curl: string; js: string; php: string; python: string }> = {
  exchangeApiKey: { curl: 'token_exchange', js: 'tokenExchange', php: 'token_exchange', python: 'token_exchange' },
  listProducts: { curl: 'list_products', js: 'listProducts', php: 'list_products', python: 'list_products' },
  getProduct: { curl: 'get_product', js: 'getProduct', php: 'get_product', python: 'get_product' },
  headProduct: { curl: 'head_product', js: 'headProduct', php: 'head_product', python: 'head_product' },
  bulkCheckProducts: { curl: 'bulk_check', js: 'bulkCheck', php: 'bulk_check', python: 'bulk_check' },
  getBalance: { curl: 'balance', js: 'balance', php: 'balance', python: 'balance' },
  getAccount: { curl: 'account', js: 'account', php: 'account', python: 'account' },
  getUsage: { curl: 'usage', js: 'usage', php: 'usage', python: 'usage' },
  getPricing: { curl: 'pricing', js: 'pricing', php: 'pricing', python: 'pricing' },
  redeemImage: { curl: 'download_image', js: 'downloadImage', php: 'download_image', python: 'download_image' },
  createWebhook: { curl: 'create_webhook', js: 'createWebhook', php: 'create_webhook', python: 'create_webhook' },
  listWebhooks: { curl: 'list_webhooks', js: 'listWebhooks', php: 'list_webhooks', python: 'list_webhooks' },
  getWebhook: { curl: 'get_webhook', js: 'getWebhook', php: 'get_webhook', python: 'get_webhook' },
  testWebhook: { curl: 'ping_webhook', js: 'pingWebhook', php: 'ping_webhook', python: 'ping_webhook' },
  deleteWebhook: { curl: 'delete_webhook', js: 'deleteWebhook', php: 'delete_webhook', python: 'delete_webhook' },
  refreshTokens: { curl: 'refresh_tokens', js: 'refreshTokens', php: 'refresh_tokens', python: 'refresh_tokens' },
  revokeToken: { curl: 'revoke_token', js: 'revokeTokens', php: 'revoke_tokens', python: 'revoke_tokens' },
  getHealth: { curl: 'health', js: 'health', php: 'health', python: 'health' },
  getOpenApi: { curl: 'openapi', js: 'openApi', php: 'openapi', python: 'openapi' },
  updateWebhook: { curl: 'update_webhook', js: 'updateWebhook', php: 'update_webhook', python: 'update_webhook' },
  verifyWebhook: {
    curl: 'verify_webhook_endpoint',
    js: 'verifyWebhookEndpoint',
    php: 'verify_webhook_endpoint',
    python: 'verify_webhook_endpoint',
  },
  replayWebhook: { curl: 'replay_webhook', js: 'replayWebhook', php: 'replay_webhook', python: 'replay_webhook' },
  listWebhookDeliveries: {
    curl: 'webhook_deliveries',
    js: 'webhookDeliveries',
    php: 'webhook_deliveries',
    python: 'webhook_deliveries',
  },
};

interface CodeSample {
  lang: string;
  label: string;
  source: string;
}

/** The example file of a curl sample.  @internal Exported for its tests, which run it. */
export const curlExampleFile = (name: string) => path.join(EXAMPLES.curl, `${name}.sh`);

const read = (file: string) => readFileSync(file, 'utf8').replace(/\s+$/, '\n');

/**
 * One exported function of operations.mjs with its doc comment, after the import and the client the file's header
 * names (`kc`), so the sample stands on its own.
 */
function jsSample(name: string): string {
  const file = readFileSync(EXAMPLES.js, 'utf8');
  const fn = new RegExp(`^/\\*\\*[^\\n]*\\*/\\nexport async function ${name}\\([\\s\\S]*?^\\}$`, 'm').exec(file)?.[0];
  if (!fn) throw new Error(`clients/typescript/examples/operations.mjs has no exported function ${name}`);
  const importLine = /^import \{ KosherCatalog \} from '@kosher-catalog\/client';$/m.exec(file)?.[0];
  const client = /^\/\/ {3}(const kc = new KosherCatalog\(.*\);)$/m.exec(file)?.[1];
  if (!importLine || !client) throw new Error('operations.mjs: the import and the `const kc = …` header line');
  const head = fn.includes('new KosherCatalog(') ? importLine : `${importLine}\n${client}`;
  return `${head}\n\n${fn}\n`;
}

/** The four samples of an operation, in the order the reference shows them.  @internal Exported for its tests. */
export function samplesFor(operationId: string): CodeSample[] {
  if (ADMIN_OPERATIONS.includes(operationId)) return adminSamples(operationId);
  const ex = SAMPLED_OPERATIONS[operationId];
  if (!ex) throw new Error(`no code samples for the operation ${operationId}`);
  return [
    { lang: 'Shell', label: 'curl', source: read(curlExampleFile(ex.curl)) },
    { lang: 'JavaScript', label: 'JavaScript', source: jsSample(ex.js) },
    { lang: 'PHP', label: 'PHP', source: read(path.join(EXAMPLES.php, `${ex.php}.php`)) },
    { lang: 'Python', label: 'Python', source: read(path.join(EXAMPLES.python, `${ex.python}.py`)) },
  ];
}

/** The `x-codeSamples:` block for an operation whose keys are indented by `indent` spaces. */
function yamlBlock(indent: number, samples: CodeSample[]): string[] {
  const pad = (n: number) => ' '.repeat(n);
  const out = [`${pad(indent)}x-codeSamples:`];
  for (const s of samples) {
    if (/^\s/.test(s.source)) throw new Error(`a ${s.label} sample may not start with white space`);
    out.push(
      `${pad(indent + 2)}- lang: ${s.lang}`,
      `${pad(indent + 4)}label: ${s.label}`,
      `${pad(indent + 4)}source: |`,
    );
    for (const line of s.source.replace(/\n$/, '').split('\n')) out.push(line ? pad(indent + 6) + line : '');
  }
  return out;
}

/**
 * openapi.yaml's text with each sampled operation's `x-codeSamples` block (right after its `operationId` line)
 * replaced by the one the examples give; the rest of the document is left byte for byte as it is.
 */
export function withCodeSamples(yaml: string): string {
  const lines = yaml.split('\n');
  const out: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < lines.length; i++) {
    out.push(lines[i]);
    const m = /^( +)operationId: (\w+)$/.exec(lines[i]);
    if (!m) continue;
    const indent = m[1].length;
    // An earlier block is dropped: its key line and every line indented deeper than it (blank lines included).
    if (lines[i + 1] === `${m[1]}x-codeSamples:`) {
      i++;
      while (i + 1 < lines.length && (lines[i + 1] === '' || /^ */.exec(lines[i + 1])![0].length > indent)) i++;
    }
    seen.add(m[2]);
    out.push(...yamlBlock(indent, samplesFor(m[2])));
  }
  const known = [...Object.keys(SAMPLED_OPERATIONS), ...ADMIN_OPERATIONS];
  const missing = known.filter((id) => !seen.has(id));
  if (missing.length) throw new Error(`schema/openapi.yaml has no operation ${missing.join(', ')}`);
  return out.join('\n');
}

/**
 * The operations of an OpenAPI document that have no examples: every operation must have its four samples, so
 * `npm run check:samples` (and `samples:write`) refuse a document with one.
 */
export function unsampledOperations(yaml: string): string[] {
  const ids = [...yaml.matchAll(/^ +operationId: (\w+)$/gm)].map((m) => m[1]);
  return ids.filter((id) => !SAMPLED_OPERATIONS[id] && !ADMIN_OPERATIONS.includes(id));
}

/** What is missing for an operation without samples, and where to add it. */
export function unsampledMessage(file: string, ids: string[]): string {
  return (
    `${path.relative(ROOT, file)}: ${ids.join(', ')} ${ids.length === 1 ? 'has' : 'have'} no code samples; every ` +
    'operation needs its curl, JavaScript, PHP and Python examples (named in src/platform/docs-site/code-samples.ts, ' +
    'run by a test), then `npm run samples:write`'
  );
}

/** Null when openapi.yaml's samples are the examples' current text, else what to do about it. */
export function codeSamplesDrift(file = OPENAPI_FILE): string | null {
  const yaml = readFileSync(file, 'utf8');
  const unsampled = unsampledOperations(yaml);
  if (unsampled.length) return unsampledMessage(file, unsampled);
  if (withCodeSamples(yaml) === yaml) return null;
  return `${path.relative(ROOT, file)}: x-codeSamples differ from the clients' examples; run \`npm run samples:write\``;
}
