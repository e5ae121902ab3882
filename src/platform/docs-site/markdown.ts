// Markdown pages of docs/ as HTML for /docs (docs/README.md): our own, trusted files, rendered with marked.
// Links between the files (`billing.md#x`, `../rest.md`) become links between the served pages.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { marked } from 'marked';

export interface Page {
  slug: string;
  title: string;
  html: string;
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** Slug of a heading as GitHub makes it, so `file.md#heading` links keep working when served. */
export const headingSlug = (text: string) =>
  text
    .toLowerCase()
    .trim()
    .replace(/<[^>]+>/g, '')
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

/** Every `*.md` of a folder, rendered once. `base` is the URL the folder is served under. */
export function loadPages(dir: string, base: string, siblings: Record<string, string>): Map<string, Page> {
  const pages = new Map<string, Page>();
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.md'));
  } catch {
    return pages;
  }
  for (const file of files.sort()) {
    const slug = file.replace(/\.md$/, '').toLowerCase();
    const text = readFileSync(path.join(dir, file), 'utf8');
    const title = /^#\s+(.+)$/m.exec(text)?.[1] ?? slug;
    const renderer = new marked.Renderer();
    renderer.heading = ({ tokens, depth }) => {
      const inner = marked.Parser.parseInline(tokens);
      return `<h${depth} id="${headingSlug(inner)}">${inner}</h${depth}>\n`;
    };
    const html = String(marked.parse(text, { renderer, async: false })).replace(
      /href="(?:\.\.\/)?([a-z0-9-]+)\.md(#[^"]*)?"/gi,
      (_m, name: string, hash: string | undefined) => {
        const target = siblings[name.toLowerCase()] ?? `${base}/${name.toLowerCase()}`;
        return `href="${target}${hash ?? ''}"`;
      },
    );
    pages.set(slug, { slug, title: esc(title), html });
  }
  return pages;
}

export function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>
body{font:16px/1.55 system-ui,sans-serif;margin:0;color:#1d2230}
nav{background:#1d2230;padding:.6rem 1.2rem}nav a{color:#fff;margin-right:1.2rem;text-decoration:none}
main{max-width:60rem;margin:0 auto;padding:1rem 1.5rem 4rem}
pre,code{font-family:ui-monospace,monospace;font-size:.92em}pre{background:#f4f5f8;padding:.8rem;overflow:auto}
table{border-collapse:collapse}td,th{border:1px solid #d5d8e0;padding:.3rem .6rem;text-align:left}
</style></head>
<body><nav><a href="/docs">API reference</a><a href="/docs/guides">Guides</a><a href="/docs/rules">Rules</a>
<a href="/graphql">GraphiQL</a></nav><main>${body}</main></body></html>`;
}
