// The architecture's rules (docs/architecture.md#the-rules), checked by `npm run check:boundaries` and, with a
// planted violation of each, by test/main/architecture.boundaries.test.ts.
// Four groups: kernel (imports nothing) <- platform (no domain) <- modules/<name> (features) <- main (composes).
const GROUPS = '^src/(main|platform|kernel|modules)/';
/** Files that are a door of their module: REST/admin routes, GraphQL types, yoga plugins, CLI commands. */
const DOOR = '\\.(routes|graphql|plugin|cli)\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'every-file-in-a-group',
      comment: 'Every file under src/ belongs to main/, platform/, kernel/ or modules/<name>/.',
      severity: 'error',
      from: { path: '^src/', pathNot: GROUPS },
      to: {},
    },
    {
      name: 'every-file-in-a-group-orphan',
      comment: 'Every file under src/ belongs to main/, platform/, kernel/ or modules/<name>/ (files that import nothing too).',
      severity: 'error',
      from: { orphan: true, path: '^src/', pathNot: [GROUPS, '\\.d\\.ts$'] },
      to: {},
    },
    {
      name: 'kernel-imports-nothing',
      comment: 'src/kernel is the bottom layer: it imports nothing from src/ outside itself.',
      severity: 'error',
      from: { path: '^src/kernel/' },
      to: { path: '^src/', pathNot: '^src/kernel/' },
    },
    {
      name: 'platform-knows-no-module',
      comment: 'platform/ has no domain: it never imports a module or main/.',
      severity: 'error',
      from: { path: '^src/platform/' },
      to: { path: '^src/(modules|main)/' },
    },
    {
      name: 'only-main-composes',
      comment: 'Nothing below main/ imports it: modules are built and wired only by the composition root.',
      severity: 'error',
      from: { path: '^src/(modules|platform|kernel)/' },
      to: { path: '^src/main/' },
    },
    {
      name: 'composition-root-from-bootstrap',
      comment: 'app.ts is the one composition root; only bootstrap.ts builds it.',
      severity: 'error',
      from: { pathNot: '^src/main/bootstrap\\.ts$' },
      to: { path: '^src/main/app\\.ts$' },
    },
    {
      name: 'module-through-its-index',
      comment: 'A module uses another module only through its index.ts (its factory and public types).',
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: '^src/modules/', pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.ts$'] },
    },
    {
      name: 'main-through-the-index',
      comment: 'main/ uses a module only through its index.ts as well.',
      severity: 'error',
      from: { path: '^src/main/' },
      to: { path: '^src/modules/', pathNot: '^src/modules/[^/]+/index\\.ts$' },
    },
    {
      name: 'no-door-across-modules',
      comment: "A module's doors (routes, GraphQL, plugins, CLI) are its own: no other module imports them.",
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: `^src/modules/[^/]+/.*${DOOR}`, pathNot: '^src/modules/$1/' },
    },
    {
      name: 'services-never-import-doors',
      comment: 'Services and repositories decide and store; they never import a door (their own or the platform\'s).',
      severity: 'error',
      from: { path: '\\.(service|repository)\\.ts$' },
      to: { path: [DOOR, '^src/platform/(http|graphql|cli)/'] },
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
