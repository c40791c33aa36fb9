// Jest transformer: TypeScript → CommonJS with esbuild (the same transpiler as synth).
// Type errors are caught by `npm run typecheck`, which `npm test` runs first.
const { transformSync } = require("esbuild");

module.exports = {
  process(source, filename) {
    const { code, map } = transformSync(source, { loader: "ts", format: "cjs", target: "node20", sourcemap: "external", sourcefile: filename });
    return { code, map };
  },
};
