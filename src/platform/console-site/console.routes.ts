// /console and /console/admin: the web console (docs/console-web.md), a static single-page app built from console/
// by `npm run build:console` (at install, never committed) and read once into memory when the server starts. Every
// page path answers the same index.html; the app routes by path in the browser. The policy forbids every other
// origin and every inline script or style, so an injected string can neither run nor phone home.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../kernel/errors.ts';
import type { Reply, Route } from '../http/router.ts';

const DIST = path.resolve(import.meta.dirname, '../../../console/dist');

const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

const HARDENING = {
  'Content-Security-Policy': CONSOLE_CSP,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

/** A page that says how to build the console when the build output is missing (a checkout without `npm ci`). */
const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Console not built</title></head>
<body><main><h1>The console is not built</h1><p>Run <code>npm run build:console</code> (it runs on
<code>npm ci</code>) and restart the server.</p></main></body></html>`;

function loadBuild(dir: string): { index: Buffer; assets: Map<string, Buffer> } | null {
  const indexFile = path.join(dir, 'index.html');
  if (!existsSync(indexFile)) return null;
  const assetsDir = path.join(dir, 'assets');
  const files = existsSync(assetsDir) ? readdirSync(assetsDir) : [];
  return {
    index: readFileSync(indexFile),
    assets: new Map(files.map((f) => [f, readFileSync(path.join(assetsDir, f))])),
  };
}

export function consoleRoutes(dir = DIST): Route[] {
  const build = loadBuild(dir);
  const page = async (): Promise<Reply> => ({
    status: build ? 200 : 503,
    bytes: build ? build.index : Buffer.from(NOT_BUILT),
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache', ...HARDENING },
  });
  const pageRoute = (p: string): Route => ({
    method: 'GET',
    path: p,
    access: 'public',
    query: 'ignored',
    handler: page,
  });
  return [
    {
      method: 'GET',
      path: '/console/assets/:file',
      access: 'public',
      query: 'ignored',
      async handler({ params }) {
        const bytes = build?.assets.get(params.file);
        const type = TYPES[path.extname(params.file)];
        if (!bytes || !type) throw new AppError('route_not_found', 'No such asset.');
        // Vite names each asset by its content hash: a name never changes meaning.
        return {
          status: 200,
          bytes,
          headers: { 'Content-Type': type, 'Cache-Control': 'public, max-age=31536000, immutable', ...HARDENING },
        };
      },
    },
    pageRoute('/console'),
    pageRoute('/console/:page'),
    pageRoute('/console/admin/:page'),
  ];
}
