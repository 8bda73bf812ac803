// NestJS 12 ships ES modules only, so jest runs in its ESM mode
// (NODE_OPTIONS=--experimental-vm-modules) and swc emits ES modules with decorator metadata.
const ESM_ONLY_REQUIRED = ['content-disposition', 'cookie', 'set-cookie-parser'];

export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    [`node_modules/(${ESM_ONLY_REQUIRED.join('|')})/.+\\.js$`]: '@swc/jest',
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
          target: 'es2022',
        },
        module: { type: 'es6' },
        sourceMaps: 'inline',
      },
    ],
  },
  // Some CommonJS packages of the Fastify stack require packages that ship ES modules only
  // (@fastify/static → content-disposition, light-my-request → cookie). Node 20.19 loads
  // those natively; jest's CommonJS loader cannot before Node 24.9, so swc compiles them
  // for the tests (to CommonJS where required, ES modules where imported).
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY_REQUIRED.join('|')})/)`],
  reporters: ['default', '<rootDir>/test/support/plain-summary-reporter.cjs'],
  testTimeout: 30000,
};
