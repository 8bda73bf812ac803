/**
 * The architecture's rules (issue 22), checked in CI by test/architecture/dependency-rules.spec.ts:
 * `npx depcruise src` prints any violation.
 */
const WRITE_MODELS = '^src/(loans|collections|close-of-business)/';
const PURE = '^src/(kernel/|(loans|collections|close-of-business)/domain/|policies/)';

module.exports = {
  forbidden: [
    {
      name: 'no-folder-cycles',
      comment: 'Folders depend on each other in one direction only: a cycle between two folders is one tangled module.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'pure-core-has-no-framework-or-io',
      comment: 'kernel/, policies/ and every domain/ are plain TypeScript: no Nest, no database library, no node I/O.',
      severity: 'error',
      from: { path: PURE },
      to: {
        dependencyTypesNot: ['type-only'],
        path: '^(node_modules/)?(@nestjs|kysely|better-sqlite3|pg|@eventstore|pino|fastify|@fastify|class-validator|class-transformer|rxjs)(/|$)|^(node:)?(fs|net|http|https|http2|child_process|worker_threads|dgram|dns|cluster|os|readline|tls)$',
      },
    },
    {
      name: 'pure-core-has-no-types-from-frameworks-either',
      comment: 'Not even a type: a domain that names a Kysely transaction or a Nest module is tied to it.',
      severity: 'error',
      from: { path: PURE },
      to: { path: '^(node_modules/)?(@nestjs|kysely|better-sqlite3|pg|@eventstore|fastify|@fastify)(/|$)' },
    },
    {
      name: 'pure-core-reads-no-clock',
      comment: 'Dates come in through commands; only the composition and adapters hold a clock.',
      severity: 'error',
      from: { path: PURE, pathNot: '^src/kernel/dates/business-clock\\.ts$' },
      to: { path: '^src/kernel/dates/business-clock\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'pure-core-stays-pure',
      comment: 'kernel/, policies/ and domain/ import only each other.',
      severity: 'error',
      from: { path: PURE },
      to: { path: '^src/', pathNot: PURE },
    },
    {
      name: 'read-models-touch-only-the-write-models-domain',
      comment: 'A read model folds the write models\' events (and their pure rules), never their handlers, controllers or services.',
      severity: 'error',
      from: { path: '^src/read-models/' },
      to: { path: WRITE_MODELS, pathNot: '^src/(loans|collections|close-of-business)/domain/' },
    },
    {
      name: 'only-the-entry-points-compose-the-app',
      comment: 'app/ wires every module together; main, the CLI and the projection worker start it, nothing else imports it.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(app/|main\\.ts$|cli\\.ts$|cli/|projection-worker\\.ts$)' },
      to: { path: '^src/app/' },
    },
    {
      name: 'a-read-models-tables-are-its-own',
      comment: 'Another folder reads a read model through its exported query functions, never its projection (where its tables are written).',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(read-models/|app/|cli/|projection-worker\\.ts$)' },
      to: { path: '^src/read-models/[^/]+/[^/]+\\.projection\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'read-models-keep-out-of-each-others-tables',
      comment: 'One read model reads another through its query functions too.',
      severity: 'error',
      from: { path: '^src/read-models/([^/]+)/' },
      to: { path: '^src/read-models/[^/]+/[^/]+\\.projection\\.ts$', pathNot: '^src/read-models/$1/', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
