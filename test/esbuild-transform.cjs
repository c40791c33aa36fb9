// Jest transformer: TypeScript → CommonJS with esbuild (the same transpiler as synth), and the
// ES-module-only packages jest.config.js names → CommonJS (dynamic import() becomes require()).
// Type errors are caught by `npm run typecheck`, which `npm test` runs first.
const { transformSync } = require("esbuild");

module.exports = {
  process(source, filename) {
    const { code, map } = transformSync(source, {
      loader: filename.endsWith(".ts") ? "ts" : "js",
      format: "cjs",
      target: "node20",
      supported: { "dynamic-import": false },
      sourcemap: "external",
      sourcefile: filename,
    });
    return { code, map };
  },
};
