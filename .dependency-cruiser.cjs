// @ts-check
// The import rules `pnpm lint` enforces (docs/architecture.md explains them).
// Type-only imports count: a cycle through types still ties the files together.
const TOOLS = '(bank-cli|shop-api|chat|filecrypt)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Files that import each other cannot be read, tested or moved alone. Move the shared piece below both.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-stays-pure',
      severity: 'error',
      comment: 'domain/ holds rules and use cases: no storage, no commands, menus or routes, no I/O.',
      from: { path: '^packages/[^/]+/src/domain/' },
      to: {
        path: [
          '^packages/[^/]+/src/(db|commands|interactive|routes|plugins|services|io|server|client|network)/',
          '^packages/[^/]+/src/(cli|program|program-features|app|config)\\.ts$',
        ],
      },
    },
    {
      name: 'domain-no-io-modules',
      severity: 'error',
      comment: 'domain/ does no I/O: files, sockets, processes, terminals and databases belong to the layers above.',
      from: { path: '^packages/[^/]+/src/domain/' },
      to: {
        dependencyTypes: ['core', 'npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'],
        path: [
          '^(node:)?(fs|fs/promises|net|tls|http|https|http2|dgram|dns|child_process|cluster|worker_threads|readline|tty|repl)$',
          '(^|/)node_modules/(drizzle-orm|better-sqlite3|pg|ioredis|fastify|@fastify/[^/]+|@inquirer/[^/]+|commander|pino)/',
        ],
      },
    },
    {
      name: 'tools-are-independent',
      severity: 'error',
      comment: 'A tool imports only @quartet/core, never another tool.',
      from: { path: `^packages/${TOOLS}/` },
      to: { path: `^packages/${TOOLS}/`, pathNot: '^packages/$1/' },
    },
    {
      name: 'core-imports-no-tool',
      severity: 'error',
      comment: '@quartet/core is below every tool.',
      from: { path: '^packages/core/' },
      to: { path: `^packages/${TOOLS}/` },
    },
    {
      name: 'no-orphans',
      severity: 'error',
      comment: 'A module nothing imports and that imports nothing is dead code or a missing wire.',
      from: {
        orphan: true,
        pathNot: ['\\.d\\.ts$', '(^|/)vitest\\.config\\.ts$', '(^|/)test/fixtures/'],
      },
      to: {},
    },
  ],
  options: {
    // Another package's dist/ is seen (so a tool importing a tool is caught) but not followed.
    doNotFollow: { path: ['node_modules', '(^|/)dist/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    combinedDependencies: false,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
    reporterOptions: {
      dot: { collapsePattern: '^packages/[^/]+/src/[^/]+/' },
    },
  },
};
