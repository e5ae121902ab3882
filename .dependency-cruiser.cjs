// The layer rules of this repository (README "How it is built"), checked by `npm run check:boundaries`.
// kernel -> nothing; domains and infrastructure -> kernel and each other (no cycles), never a door;
// paid-reads -> domains; doors (http, graphql, admin) -> anything below; only bootstrap wires app.ts.
const DOORS = '^src/(http|graphql|admin)/';
const DOMAINS = '^src/(catalog|listing|billing|auth|accounts|account-view|images|limits|webhooks)/';
const INFRA = '^src/(shared-state|blobs|db|seed|health|openapi)/';
/** Files of a domain folder that adapt it to a door: REST routes, the module builder, the gate implementation. */
const ADAPTERS = '\\.(routes|module|gate)\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'kernel-imports-nothing',
      comment: 'src/kernel is the bottom layer: it imports nothing from src/ outside itself.',
      severity: 'error',
      from: { path: '^src/kernel/' },
      to: { path: '^src/', pathNot: '^src/kernel/' },
    },
    {
      name: 'services-never-import-doors',
      comment: 'Services and repositories decide and store; they never import a transport or the admin door.',
      severity: 'error',
      from: { path: '\\.(service|repository)\\.ts$' },
      to: { path: DOORS },
    },
    {
      name: 'domains-below-doors',
      comment: 'Domains and infrastructure never import a door, paid-reads or the composition root (adapters may import http).',
      severity: 'error',
      from: { path: [DOMAINS, INFRA], pathNot: ADAPTERS },
      to: { path: ['^src/(http|graphql|admin|paid-reads)/', '^src/(app|bootstrap|main|demo)\\.ts$'] },
    },
    {
      name: 'adapters-only-http',
      comment: 'A domain adapter (routes, module, gate) may use the HTTP door, never GraphQL, admin or paid-reads.',
      severity: 'error',
      from: { path: [DOMAINS, INFRA] },
      to: { path: ['^src/(graphql|admin|paid-reads)/'] },
    },
    {
      name: 'paid-reads-below-doors',
      comment: 'paid-reads is used by the doors; it uses the HTTP door only in its REST adapters.',
      severity: 'error',
      from: { path: '^src/modules/paid-reads/', pathNot: ADAPTERS },
      to: { path: ['^src/(http|graphql|admin)/', '^src/(app|bootstrap|main|demo)\\.ts$'] },
    },
    {
      name: 'only-bootstrap-wires-app',
      comment: 'app.ts is the one composition root; only bootstrap.ts builds it.',
      severity: 'error',
      from: { pathNot: '^src/bootstrap\\.ts$' },
      to: { path: '^src/app\\.ts$' },
    },
    {
      name: 'no-module-cycles',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-folder-cycles',
      comment: 'Two folders never import each other, directly or around a loop.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    metrics: true,
  },
};
