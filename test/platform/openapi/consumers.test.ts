// REST consumers (docs/contracts.md): clients generated from schema/openapi.yaml by openapi-typescript (+
// openapi-fetch), @hey-api/openapi-ts and orval type-check with the sample consumers, and their billed read works
// against the running server: typed `include` on the wire as the API expects it, the charge in the headers.
// Then the bill of list parameters as real clients send them (docs/rest.md#query-parameters): each generator with
// its defaults, PHP's http_build_query through php-cli and Python's urlencode(doseq=True) through python3, each
// billed exactly `include=product_meta,images&variants=front` (1.3 credits), and a typo refused with 0 charged.
import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { balanceUnits } from '../../helpers/ledger.ts';
import { repoRoot as root } from '../../helpers/paths.ts';
import { type SignedInClient, seed } from '../../helpers/testkit.ts';
import { mustRunWith } from '../../helpers/tools.ts';

const run = promisify(execFile);
const consumer = path.join(root, 'test/consumer/rest');
const generated = path.join(consumer, 'generated');
const bin = (name: string) => path.join(root, 'node_modules/.bin', name);
let app: TestApp;

interface Bill {
  sent: string;
  status: number;
  debited: string | null;
  error: string | null;
  scopes: string[];
  images: string[];
}
type BillFn = (baseUrl: string, token: string, barcode: string, query: object) => Promise<Bill>;
interface BillModule {
  billWithOpenapiFetch: BillFn;
  billWithHeyApi: BillFn;
  billWithOrval: BillFn;
}

interface ConsumerModule {
  readWithOpenapiFetch(
    baseUrl: string,
    token: string,
    barcode: string,
  ): Promise<{ brand: string; debited: string | null }>;
  readWithHeyApi(
    baseUrl: string,
    clientId: string,
    apiKey: string,
    barcode: string,
  ): Promise<{ brand: string; debited: string | null }>;
}

beforeAll(async () => {
  await rm(generated, { recursive: true, force: true });
  await mkdir(path.join(generated, 'openapi-typescript'), { recursive: true });
  app = await startTestApp();
}, 120_000);
afterAll(async () => {
  await app?.close();
});

describe('clients generated from schema/openapi.yaml', () => {
  it('openapi-typescript, @hey-api/openapi-ts and orval generate, and the consumers type-check', async () => {
    await run(
      bin('openapi-typescript'),
      ['schema/openapi.yaml', '-o', path.join(generated, 'openapi-typescript/schema.ts')],
      {
        cwd: root,
      },
    );
    await run(
      bin('openapi-ts'),
      [
        '-i',
        './schema/openapi.yaml',
        '-o',
        path.join(generated, 'hey-api'),
        '-c',
        '@hey-api/client-fetch',
        '--no-log-file',
      ],
      { cwd: root },
    );
    // orval with its fetch client and the app's mutator (base URL and token), as an app team configures it. orval
    // types `additionalProperties` as an index signature that excludes the declared properties' types (TS2411 on
    // NutritionFacts: `serving_size` is a string, the other nutrients numbers), so the config widens such an
    // index signature to `unknown` on the way in, as a team using orval on this document has to.
    const orvalConfig = path.join(generated, 'orval.config.cjs');
    const orvalOptions = {
      input: { target: path.join(root, 'schema/openapi.yaml') },
      output: {
        target: path.join(generated, 'orval/api.ts'),
        client: 'fetch',
        override: { mutator: { path: path.join(consumer, 'orval-fetch.ts'), name: 'orvalFetch', extension: '.ts' } },
      },
    };
    const widen = `(spec) => {
      for (const s of Object.values(spec.components.schemas))
        if (s.properties && typeof s.additionalProperties === 'object') s.additionalProperties = true;
      return spec;
    }`;
    await writeFile(
      orvalConfig,
      `const options = ${JSON.stringify(orvalOptions)};\n` +
        `options.input.override = { transformer: ${widen} };\n` +
        'module.exports = { catalog: options };\n',
    );
    await run(bin('orval'), ['--config', orvalConfig], { cwd: root });
    await writeFile(
      path.join(generated, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          allowImportingTsExtensions: true,
          types: [],
          lib: ['ES2022', 'DOM', 'DOM.Iterable'],
        },
        files: ['../product-read.ts', '../product-bill.ts'],
      }),
    );
    const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
    const res = await run(process.execPath, [tsc, '-p', path.join(generated, 'tsconfig.json')], { cwd: root }).catch(
      (e) => e,
    );
    expect(`${res.stdout ?? ''}${res.stderr ?? ''}`).toBe('');
  }, 120_000);

  it('both clients make a billed read against the server and see its charge', async () => {
    // A path in a variable: the consumer imports code generated by the test above, which a fresh checkout does
    // not have, so `tsc` over the repository must not follow this import.
    const consumerModule = pathToFileURL(path.join(consumer, 'product-read.ts')).href;
    const { readWithHeyApi, readWithOpenapiFetch } = (await import(consumerModule)) as ConsumerModule;
    const c = await seed(app).client({ credits: 10 });
    const p = await seed(app).product({ meta: 'full', imageRows: ['front'] });
    const viaFetch = await readWithOpenapiFetch(app.url, c.accessToken, p.barcode);
    expect(viaFetch).toEqual({ brand: p.brand, debited: '0.5' });
    const viaHey = await readWithHeyApi(app.url, c.clientId, c.apiKey, p.barcode);
    expect(viaHey).toEqual({ brand: p.brand, debited: '0.5' });
  }, 60_000);
});

describe('the bill of a list parameter as real clients send it (issue 24)', () => {
  // include=product_meta,images&variants=front on a product with front and back: 0.5 + 0.8 = 1.3 credits.
  const WANT = { include: ['product_meta', 'images'], variants: ['front'] };
  const TYPO = { inlcude: ['product_meta'] };
  let c: SignedInClient;
  let barcodeOf: string;
  let bills: BillModule;

  beforeAll(async () => {
    c = await seed(app).client({ credits: 100, tier: 'enterprise' });
    barcodeOf = (await seed(app).product({ meta: 'full', imageRows: ['front', 'back'] })).barcode;
    bills = (await import(pathToFileURL(path.join(consumer, 'product-bill.ts')).href)) as BillModule;
  });

  /** The bill of the wanted read: exactly product_meta and the front image, 1.3 credits. */
  const expectWanted = (b: Bill, sent: string) =>
    expect(b).toEqual({
      sent,
      status: 200,
      debited: '1.3',
      error: null,
      scopes: ['product_meta', 'images'],
      images: ['front'],
    });
  const expectRefused = (b: Bill, sent: string) =>
    expect(b).toEqual({ sent, status: 400, debited: '0', error: 'unknown_parameter', scopes: [], images: [] });

  it('openapi-fetch (default serializer), @hey-api/openapi-ts and orval: 1.3 credits, and a typo costs nothing', async () => {
    const repeated = 'include=product_meta&include=images&variants=front';
    for (const [name, bill] of Object.entries(bills)) {
      const before = await balanceUnits(app.db.sql, c.accountId);
      expectWanted(await bill(app.url, c.accessToken, barcodeOf, WANT), repeated);
      expect(await balanceUnits(app.db.sql, c.accountId), name).toBe(before - 13_000n);
      expectRefused(await bill(app.url, c.accessToken, barcodeOf, TYPO), 'inlcude=product_meta');
      expect(await balanceUnits(app.db.sql, c.accountId), name).toBe(before - 13_000n);
    }
  }, 60_000);

  it.runIf(mustRunWith('php', 'apt-get install php-cli'))(
    "PHP: http_build_query's indexed brackets through php-cli",
    async () => {
      // The script builds the query as a PHP app does and makes the request itself; it prints what it sent and got.
      const script = `
      [$url, $token, $barcode, $which] = array_slice($argv, 1);
      $params = $which === 'typo' ? ['inlcude' => ['product_meta']]
        : ['include' => ['product_meta', 'images'], 'variants' => ['front']];
      $query = http_build_query($params);
      // PHP's own HTTP client (no extension needed): a 4xx answer is read too, its headers land in $http_response_header.
      $context = stream_context_create(['http' => ['header' => "Authorization: Bearer $token", 'ignore_errors' => true]]);
      $body = json_decode(file_get_contents("$url/api/v1/products/$barcode?$query", false, $context), true);
      $status = (int) explode(' ', $http_response_header[0])[1];
      $debited = null;
      foreach ($http_response_header as $line)
        if (stripos($line, 'x-credits-debited:') === 0) $debited = trim(substr($line, 18));
      echo json_encode(['sent' => $query, 'status' => $status,
        'debited' => $debited, 'body' => $body]);`;
      const php = async (which: string) => {
        const r = await run('php', ['-r', script, '--', app.url, c.accessToken, barcodeOf, which]);
        return toBill(JSON.parse(r.stdout));
      };
      const before = await balanceUnits(app.db.sql, c.accountId);
      const wanted = await php('wanted');
      expect(wanted.sent).toBe('include%5B0%5D=product_meta&include%5B1%5D=images&variants%5B0%5D=front');
      expectWanted(
        { ...wanted, sent: decodeURIComponent(wanted.sent) },
        'include[0]=product_meta&include[1]=images&variants[0]=front',
      );
      expectRefused(await php('typo'), 'inlcude%5B0%5D=product_meta');
      expect(await balanceUnits(app.db.sql, c.accountId)).toBe(before - 13_000n);
    },
    60_000,
  );

  it.runIf(mustRunWith('python3', 'apt-get install python3'))(
    'Python: urllib.parse.urlencode(..., doseq=True) through python3 and urllib.request',
    async () => {
      const script = `
import json, sys, urllib.error, urllib.parse, urllib.request
url, token, barcode, which = sys.argv[1:]
params = {'inlcude': ['product_meta']} if which == 'typo' else {'include': ['product_meta', 'images'], 'variants': ['front']}
query = urllib.parse.urlencode(params, doseq=True)
req = urllib.request.Request(f'{url}/api/v1/products/{barcode}?{query}', headers={'Authorization': f'Bearer {token}'})
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
try:
    res = opener.open(req)
except urllib.error.HTTPError as e:
    res = e
print(json.dumps({'sent': query, 'status': res.status, 'debited': res.headers.get('X-Credits-Debited'),
                  'body': json.loads(res.read())}))`;
      const python = async (which: string) => {
        const r = await run('python3', ['-c', script, app.url, c.accessToken, barcodeOf, which]);
        return toBill(JSON.parse(r.stdout));
      };
      const before = await balanceUnits(app.db.sql, c.accountId);
      expectWanted(await python('wanted'), 'include=product_meta&include=images&variants=front');
      expectRefused(await python('typo'), 'inlcude=product_meta');
      expect(await balanceUnits(app.db.sql, c.accountId)).toBe(before - 13_000n);
    },
    60_000,
  );
});

/** A script's report as a Bill. */
function toBill(r: { sent: string; status: number; debited: string | null; body: Record<string, any> }): Bill {
  return {
    sent: r.sent,
    status: r.status,
    debited: r.debited,
    error: r.body?.error ?? null,
    scopes: ['product_meta', 'image_meta', 'images'].filter((s) => s in (r.body ?? {})),
    images: Object.keys(r.body?.images ?? {}).sort(),
  };
}
