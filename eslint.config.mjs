// Lint: ESLint's and typescript-eslint's recommended rules on our code; generated code
// (imports/) and outputs are not ours to lint. Formatting is prettier's (npm run lint runs both).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["imports/**", "dist/**", "node_modules/**", ".build/**", ".bench/**", ".test-out/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // cdktf and cdk8s hand back untyped JSON (toJson(), synthesized stacks); tests read it as such.
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // CommonJS (the jest config, the launchers in scripts/ and test/): Node's globals and require().
    files: ["**/*.js", "**/*.cjs"],
    languageOptions: {
      sourceType: "commonjs",
      globals: { require: "readonly", module: "writable", process: "readonly", __dirname: "readonly", __filename: "readonly", console: "readonly" },
    },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
