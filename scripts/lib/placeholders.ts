// Placeholders: values the spec marks as still to be read off the operator's own host or
// replaced with their own (`!placeholder`, `replace-me`). Synth warns about them; `npm run check
// -- --strict`, which CI of a real lab runs, fails on them.
import { formatPath } from "../../cluster/problems";
import type { PlaceholderValue } from "../../cluster/spec-yaml";

export function placeholderLines(file: string, placeholders: readonly PlaceholderValue[]): string[] {
  return placeholders.map(
    (p) => `${p.line ? `${file}:${p.line}` : file}: ${formatPath(p.path)} is a placeholder; replace it with your own value (README, "Make it yours")`,
  );
}
