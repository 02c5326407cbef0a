/** Unit specs sit beside the code; e2e and contract suites live in test/. */
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/plugins', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts', '**/*.contract-spec.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: { isolatedModules: true, module: 'commonjs', esModuleInterop: true, experimentalDecorators: true, emitDecoratorMetadata: true, target: 'ES2022', skipLibCheck: true }, diagnostics: false }] },
  testTimeout: 30000,
  setupFiles: ['<rootDir>/test/support/setup-env.ts'],
};
