// Every string we write into Terraform JSON is a template: a `${…}` or `%{…}` in it is parsed
// by Terraform at plan time. This parses each one with HCL's own parser (hcl2json), so a
// malformed expression fails here, at synth/test time, instead of at `terraform plan`.
import { parse } from "@cdktf/hcl2json";

/** Paths and templates of every string containing an interpolation or directive. */
export function templatesIn(value: unknown, path = ""): [string, string][] {
  if (typeof value === "string") return /\$\{|%\{/.test(value) ? [[path, value]] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => templatesIn(item, `${path}[${i}]`));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => (k === "//" ? [] : templatesIn(v, path ? `${path}.${k}` : k)));
  return [];
}

export async function checkTerraformTemplates(stack: Record<string, unknown>): Promise<string[]> {
  const problems: string[] = [];
  for (const [path, template] of templatesIn(stack)) {
    // A heredoc holds any template text, quotes and newlines included.
    const marker = "EOT_HOMELAB";
    try {
      await parse(`${path}.tf`, `locals {\n  value = <<${marker}\n${template}\n${marker}\n}\n`);
    } catch (error) {
      problems.push(
        `${path}: ${String(error)
          .split("\n")[0]
          .replace(/^Error: /, "")}`,
      );
    }
  }
  return problems;
}
