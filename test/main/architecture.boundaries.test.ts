// The architecture's rules (.dependency-cruiser.cjs, docs/architecture.md#the-rules) hold on this tree, and each
// of them fails on a planted violation in a scratch copy of the configuration.
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot as root } from '../helpers/paths.ts';

const run = promisify(execFile);
const depcruise = path.join(root, 'node_modules/.bin/depcruise');

interface Summary {
  totalCruised: number;
  error: number;
  violations: { rule: { name: string }; from: string; to: string }[];
}

async function cruise(cwd: string): Promise<Summary> {
  const args = ['src', '--config', '.dependency-cruiser.cjs', '--output-type', 'json'];
  const out = await run(depcruise, args, { cwd, maxBuffer: 64 * 1024 * 1024 }).catch((e) => e as { stdout: string });
  return (JSON.parse(out.stdout) as { summary: Summary }).summary;
}

const tmp: string[] = [];
afterAll(async () => {
  for (const d of tmp) await rm(d, { recursive: true, force: true });
});

describe('import boundaries', () => {
  it('the tree keeps every layer rule', async () => {
    const s = await cruise(root);
    expect(s.totalCruised).toBeGreaterThan(100);
    expect(s.violations).toEqual([]);
  }, 60_000);

  it('a planted violation of every rule fails the check, each under its rule', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kc-boundaries-'));
    tmp.push(dir);
    for (const f of ['.dependency-cruiser.cjs', 'tsconfig.json']) await cp(path.join(root, f), path.join(dir, f));
    const files: Record<string, string> = {
      'src/main/config.ts': 'export const config = 1;\n',
      'src/main/app.ts': 'export const app = 1;\n',
      // kernel-imports-nothing
      'src/kernel/errors.ts': "import { config } from '../main/config.ts';\nexport const e = config;\n",
      // platform-knows-no-module
      'src/platform/http/router.ts': "import { b } from '../../modules/billing/index.ts';\nexport const route = b;\n",
      // only-main-composes
      'src/modules/billing/index.ts': "import { config } from '../../main/config.ts';\nexport const b = config;\n",
      // composition-root-from-bootstrap
      'src/main/main.ts': "import { app } from './app.ts';\nexport const m = app;\n",
      // module-through-its-index
      'src/modules/catalog/catalog.service.ts':
        "import { r } from '../listing/listing.repository.ts';\nexport const c = r;\n",
      'src/modules/listing/listing.repository.ts': 'export const r = 1;\n',
      // main-through-the-index
      'src/main/demo.ts': "import { r } from '../modules/listing/listing.repository.ts';\nexport const d = r;\n",
      // no-door-across-modules (a door reached through nothing but its file)
      'src/modules/account-view/account-view.service.ts':
        "import { g } from '../billing/pricing.graphql.ts';\nexport const v = g;\n",
      'src/modules/billing/pricing.graphql.ts': 'export const g = 1;\n',
      // services-never-import-doors
      'src/modules/billing/pricing.service.ts': "import { rt } from './pricing.routes.ts';\nexport const p = rt;\n",
      'src/modules/billing/pricing.routes.ts': 'export const rt = 1;\n',
      // every-file-in-a-group (with imports, and without)
      'src/tools/x.ts': "import { e } from '../kernel/errors.ts';\nexport const x = e;\n",
      'src/loose.ts': 'export const loose = 1;\n',
      // no-module-cycles, no-folder-cycles
      'src/modules/webhooks/index.ts': "import { s } from '../seed/index.ts';\nexport const w = 1 + s;\n",
      'src/modules/seed/index.ts': "import { w } from '../webhooks/index.ts';\nexport const s = 1 + w;\n",
    };
    for (const [f, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, f)), { recursive: true });
      await writeFile(path.join(dir, f), text);
    }
    const s = await cruise(dir);
    const rules = new Set(s.violations.map((v) => v.rule.name));
    const config = (await import(path.join(root, '.dependency-cruiser.cjs'))).default as {
      forbidden: { name: string }[];
    };
    expect(s.error).toBeGreaterThan(0);
    // Every rule of the configuration is planted above, and each one fires.
    expect([...rules].sort()).toEqual(config.forbidden.map((r) => r.name).sort());
  }, 60_000);
});
