// /docs: the REST API reference rendered from schema/openapi.yaml by swagger-ui (served from our own
// node_modules, no CDN: it works offline) with each operation's code samples, and the Markdown guides and rules
// of docs/ as HTML pages.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { AppError } from '../../kernel/errors.ts';
import type { Reply, Route } from '../http/router.ts';
import { layout, loadPages, type Page } from './markdown.ts';

const DOCS_DIR = path.resolve(import.meta.dirname, '../../../docs');
const UI_DIR = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
};
// Inline scripts and styles are ours; nothing may load from another origin.
const CSP =
  "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; " +
  "img-src 'self' data:; connect-src 'self'; worker-src 'self' blob:";

const html = (page: string): Reply => ({
  status: 200,
  bytes: Buffer.from(page),
  headers: {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': CSP,
    'Cache-Control': 'public, max-age=300',
  },
});

// Each operation's call in curl, JavaScript, PHP and Python (the `x-codeSamples` of schema/openapi.yaml, made from
// the clients' tested examples: src/platform/docs-site/code-samples.ts) shown above its parameters once it is opened.
// swagger-ui has no view of its own for them; this plugin wraps its `parameters` component with one tab per language.
// Scalar's reference renders x-codeSamples by itself, but its offline bundle is one more large dependency and wants
// fonts and styles from its CDN unless configured away; swagger-ui with this plugin stays on our own bytes.
const CODE_SAMPLES_PLUGIN = `
function CodeSamplesPlugin() {
  return { wrapComponents: { parameters: function (Original, system) {
    var React = system.React, h = React.createElement;
    function Samples(p) {
      var state = React.useState(0), active = state[0], setActive = state[1];
      var s = p.samples[active];
      return h('div', { className: 'opblock-section code-samples' },
        h('div', { className: 'opblock-section-header' }, h('h4', { className: 'opblock-title' }, 'Code samples')),
        h('div', { className: 'code-samples-tabs', role: 'tablist' }, p.samples.map(function (x, i) {
          return h('button', { key: x.label, type: 'button', role: 'tab', 'aria-selected': i === active,
            className: 'code-samples-tab' + (i === active ? ' active' : ''), onClick: function () { setActive(i); } },
            x.label);
        })),
        h('pre', { className: 'code-samples-source', 'data-lang': s.label }, h('code', null, s.source)));
    }
    return function (props) {
      var samples = props.operation && props.operation.get && props.operation.get('x-codeSamples');
      var inner = h(Original, props);
      if (!samples || !samples.size) return inner;
      return h('div', null, h(Samples, { samples: samples.toJS() }), inner);
    };
  } } };
}`;

const REFERENCE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Kosher catalog API — REST reference</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
<style>
.code-samples-tabs { display: flex; gap: .3rem; padding: .6rem 20px 0; }
.code-samples-tab { font: 600 13px system-ui; padding: .3rem .8rem; border: 1px solid #bbb; border-radius: 4px 4px 0 0;
  background: #f3f3f3; cursor: pointer; }
.code-samples-tab.active { background: #333; color: #fff; border-color: #333; }
.code-samples-source { margin: 0 20px 1rem; padding: .8rem; background: #333; color: #f8f8f2; border-radius: 0 4px 4px 4px;
  font: 12px/1.45 ui-monospace, monospace; overflow-x: auto; white-space: pre; }
</style></head>
<body><p style="font:15px system-ui;margin:.6rem 1.2rem"><a href="/docs/guides">Guides</a> ·
<a href="/docs/rules">Rules</a> · <a href="/graphql">GraphiQL</a></p><div id="reference"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script>${CODE_SAMPLES_PLUGIN}
window.ui = SwaggerUIBundle({ url: '/api/v1/openapi.json', dom_id: '#reference', validatorUrl: null,
  deepLinking: true, tryItOutEnabled: false, plugins: [CodeSamplesPlugin] });
</script></body></html>`;

function indexPage(title: string, base: string, pages: Map<string, Page>): string {
  const items = [...pages.values()].map((p) => `<li><a href="${base}/${p.slug}">${p.title}</a></li>`).join('\n');
  return layout(title, `<h1>${title}</h1><ul>${items}</ul>`);
}

export function docsRoutes(dir = DOCS_DIR): Route[] {
  const rules = loadPages(dir, '/docs/rules', {});
  const ruleLinks = Object.fromEntries([...rules.keys()].map((k) => [k, `/docs/rules/${k}`]));
  const guides = loadPages(path.join(dir, 'guides'), '/docs/guides', ruleLinks);
  const assets = new Map(Object.keys(ASSETS).map((f) => [f, readFileSync(path.join(UI_DIR, f))]));
  const page = (pages: Map<string, Page>, slug: string) => {
    const p = pages.get(slug.toLowerCase());
    if (!p) throw new AppError('route_not_found', 'No such page.');
    return html(layout(p.title, p.html));
  };
  return [
    { method: 'GET', path: '/docs', access: 'public', query: 'ignored', handler: async () => html(REFERENCE) },
    {
      method: 'GET',
      path: '/docs/assets/:file',
      access: 'public',
      query: 'ignored',
      async handler({ params }) {
        const bytes = assets.get(params.file);
        if (!bytes) throw new AppError('route_not_found', 'No such asset.');
        return {
          status: 200,
          bytes,
          headers: { 'Content-Type': ASSETS[params.file], 'Cache-Control': 'public, max-age=86400' },
        };
      },
    },
    {
      method: 'GET',
      path: '/docs/guides',
      access: 'public',
      query: 'ignored',
      handler: async () => html(indexPage('Guides', '/docs/guides', guides)),
    },
    {
      method: 'GET',
      path: '/docs/guides/:slug',
      access: 'public',
      query: 'ignored',
      handler: async ({ params }) => page(guides, params.slug),
    },
    {
      method: 'GET',
      path: '/docs/rules',
      access: 'public',
      query: 'ignored',
      handler: async () => html(indexPage('Rules', '/docs/rules', rules)),
    },
    {
      method: 'GET',
      path: '/docs/rules/:slug',
      access: 'public',
      query: 'ignored',
      handler: async ({ params }) => page(rules, params.slug),
    },
  ];
}
