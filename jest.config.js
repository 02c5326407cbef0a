/**
 * Unit specs sit beside the code; e2e and contract suites live in test/. A few dependencies ship
 * only ESM, which jest on Node 20 cannot require: those are compiled to CommonJS by ts-jest.
 */
const ESM_ONLY = ['content-disposition'];

module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/plugins', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts', '**/*.contract-spec.ts'],
  transform: { '^.+\\.[tj]s$': ['ts-jest', { tsconfig: { allowJs: true, isolatedModules: true, module: 'commonjs', esModuleInterop: true, experimentalDecorators: true, emitDecoratorMetadata: true, target: 'ES2022', skipLibCheck: true }, diagnostics: false }] },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`],
  testTimeout: 30000,
  setupFiles: ['<rootDir>/test/support/setup-env.ts'],
};
