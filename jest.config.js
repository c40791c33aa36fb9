/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": "<rootDir>/test/esbuild-transform.cjs" },
  moduleFileExtensions: ["ts", "js", "json"],
  testTimeout: 60000,
  globalSetup: "<rootDir>/test/global-setup.cjs",
};
