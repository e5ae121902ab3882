// The layer rules (.dependency-cruiser.cjs) hold on this tree, and they do fail on planted violations: a kernel
// module importing config, a service importing a door, and two domain folders importing each other.
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

  it('planted violations fail the check, each under its rule', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kc-boundaries-'));
    tmp.push(dir);
    for (const f of ['.dependency-cruiser.cjs', 'tsconfig.json']) await cp(path.join(root, f), path.join(dir, f));
    const files: Record<string, string> = {
      'src/main/config.ts': 'export const config = 1;\n',
      'src/kernel/errors.ts': "import { config } from '../config.ts';\nexport const e = config;\n",
      'src/platform/http/router.ts': 'export const route = 1;\n',
      'src/modules/billing/pricing.service.ts': "import { route } from '../http/router.ts';\nexport const p = route;\n",
      'src/modules/catalog/catalog.ts': "import { l } from '../listing/listing.ts';\nexport const c = 1 + l;\n",
      'src/modules/listing/listing.ts': "import { c } from '../catalog/catalog.ts';\nexport const l = 1 + c;\n",
    };
    for (const [f, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, f)), { recursive: true });
      await writeFile(path.join(dir, f), text);
    }
    const s = await cruise(dir);
    const rules = new Set(s.violations.map((v) => v.rule.name));
    expect(s.error).toBeGreaterThan(0);
    expect([...rules].sort()).toEqual(
      expect.arrayContaining([
        'kernel-imports-nothing',
        'services-never-import-doors',
        'no-module-cycles',
        'no-folder-cycles',
      ]),
    );
  }, 60_000);
});
