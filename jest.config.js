/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // secretlint ships ES modules only; jest's module system needs them as CommonJS.
  transform: { "^.+\\.ts$": "<rootDir>/test/esbuild-transform.cjs", "/node_modules/@secretlint/.+\\.js$": "<rootDir>/test/esbuild-transform.cjs" },
  transformIgnorePatterns: ["/node_modules/(?!@secretlint/)"],
  moduleFileExtensions: ["ts", "js", "json"],
  testTimeout: 60000,
  // Two workers even on two cores: most suites spend their time waiting on child processes
  // (git, terraform, synth's CLI), so a second worker fills the gaps (jest's default is cores − 1).
  maxWorkers: 2,
  globalSetup: "<rootDir>/test/global-setup.cjs",
};
