// npm run check:citations (docs/architecture.md#checks): this tree cites only paths and headings that exist, and a
// planted broken citation of each kind (a file in the docs, a heading in a comment, a relative Markdown link)
// fails the check, naming the file and line.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/paths.ts';

const run = promisify(execFile);
const cli = path.join(repoRoot, 'src/main/cli/check-citations.cli.ts');
const check = (root?: string) =>
  run(process.execPath, ['--import', 'tsx', cli, ...(root ? ['--root', root] : [])], { cwd: repoRoot }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );

const tmp: string[] = [];
afterAll(async () => {
  for (const d of tmp) await rm(d, { recursive: true, force: true });
});

describe('cited paths', () => {
  it('every path and heading cited in this tree exists', async () => {
    const r = await check();
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  }, 60_000);

  it('planted broken citations fail the check, each named with its file and line', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kc-citations-'));
    tmp.push(dir);
    const slashes = '//'; // written apart, so that this file's own lines are not read as comments citing them
    const files: Record<string, string> = {
      'docs/ops.md': '# Ops\n\n## Backups\n\nSee `src/main/gone.ts`, [the ops](ops.md#backups) and [more](other.md).\n',
      'src/main/app.ts': `${slashes} The rules: docs/ops.md#restores (no such heading); docs/ops.md#backups (fine).\n`,
      'src/main/fine.ts': `${slashes} Cites src/main/app.ts, which exists.\nconst s = 'src/not/a/comment.ts';\nexport { s };\n`,
    };
    for (const [f, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, f)), { recursive: true });
      await writeFile(path.join(dir, f), text);
    }
    await run('git', ['init', '-q'], { cwd: dir });
    const r = await check(dir);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n').sort()).toEqual([
      'docs/ops.md:5: other.md: no such file or folder',
      'docs/ops.md:5: src/main/gone.ts: no such file or folder',
      'src/main/app.ts:1: docs/ops.md#restores: no heading #restores',
    ]);
  }, 60_000);
});
