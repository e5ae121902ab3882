// Docs that stay true (docs/architecture.md#checks): every repository path cited in the docs, the README and code
// comments must exist, and every `file.md#heading` must name a heading of that file. The citations are found by
// their shape (a path starting with a top-level folder of the repository, or a relative Markdown link).
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { headingSlug } from '../docs-site/markdown.ts';

/** Top-level folders a citation starts with. */
const ROOTS = ['src', 'test', 'docs', 'schema', 'clients', 'console'];
const CITATION = new RegExp(
  `(?<![\\w/.@-])((?:${ROOTS.join('|')})/[A-Za-z_][A-Za-z0-9_.@+/-]*[A-Za-z0-9_/])(#[\\p{L}\\p{N}_-]+)?(?![\\w.@+/*<{$-])`,
  'gu',
);
/** The comment part of a line of code (`//`, a block comment's line, or `#` in Python); null when there is none. */
function commentOf(file: string, line: string): string | null {
  const t = line.trimStart();
  if (t.startsWith('*') || t.startsWith('/*')) return t;
  if (file.endsWith('.py')) {
    const i = line.indexOf('#');
    return i >= 0 ? line.slice(i) : null;
  }
  const i = line.indexOf('//');
  // `//` inside a URL (http://) is not a comment.
  return i >= 0 && line[i - 1] !== ':' ? line.slice(i) : null;
}
const MD_LINK = /\]\(([^)\s#]+\.md)(#[^)\s]+)?\)/g;

export interface BrokenCitation {
  file: string;
  line: number;
  cited: string;
  problem: string;
}

const slugCache = new Map<string, Set<string>>();
function slugsOf(file: string): Set<string> {
  let s = slugCache.get(file);
  if (!s) {
    s = new Set();
    let fenced = false;
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (line.startsWith('```')) fenced = !fenced;
      const m = !fenced && /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
      if (m) s.add(headingSlug(m[1]));
    }
    slugCache.set(file, s);
  }
  return s;
}

function check(
  root: string,
  target: string,
  anchor: string | undefined,
  base: string | undefined,
  generated: (p: string) => boolean,
): string | null {
  // A git-ignored path (screenshots, build output) exists only after something made it.
  if (generated(target)) return null;
  let abs = path.join(root, target);
  // Inside a package of its own (clients/<name>/), `src/…` may be the package's own folder.
  if (!existsSync(abs) && base) abs = path.join(root, base, target);
  if (!existsSync(abs)) return 'no such file or folder';
  if (anchor && target.endsWith('.md') && statSync(abs).isFile() && !slugsOf(abs).has(anchor.slice(1)))
    return `no heading ${anchor}`;
  return null;
}

/**
 * Every broken citation in `files` (paths relative to `root`). `generated` says which paths are made by a run
 * (git-ignored): citing them is fine before they exist.
 */
export function brokenCitations(
  root: string,
  files: string[],
  generated: (p: string) => boolean = () => false,
): BrokenCitation[] {
  const out: BrokenCitation[] = [];
  for (const file of files) {
    const text = readFileSync(path.join(root, file), 'utf8');
    const lines = text.split('\n');
    const prose = /\.(md|txt)$/.test(file);
    const pkg = /^clients\/[^/]+\//.exec(file)?.[0];
    lines.forEach((line, i) => {
      const cites = prose ? line : commentOf(file, line);
      for (const m of cites?.matchAll(CITATION) ?? []) {
        const cited = m[1].replace(/[.]+$/, '');
        const problem = check(root, cited, m[2], pkg, generated);
        if (problem) out.push({ file, line: i + 1, cited: cited + (m[2] ?? ''), problem });
      }
      if (!file.endsWith('.md')) return;
      for (const m of line.matchAll(MD_LINK)) {
        if (/^[a-z]+:/.test(m[1]) || m[1].startsWith('/')) continue;
        const target = path.normalize(path.join(path.dirname(file), m[1]));
        const problem = check(root, target, m[2], undefined, generated);
        if (problem) out.push({ file, line: i + 1, cited: m[1] + (m[2] ?? ''), problem });
      }
    });
  }
  return out;
}
