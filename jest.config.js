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
  globalSetup: "<rootDir>/test/global-setup.cjs",
};
