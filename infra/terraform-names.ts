// Helpers for what we write into Terraform JSON.

/**
 * Escapes literal text for a Terraform string: `${` and `%{` start interpolation and
 * template directives in every string of a .tf.json file, so user-supplied text (host
 * names, SSH key comments, cloud-init content) must not be able to inject them.
 */
export function terraformLiteral(text: string): string {
  // Function replacements: in a replacement *string*, "$$" would mean a single "$".
  return text.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
}

/**
 * Literal text with each placeholder replaced by its Terraform expression (a `${…}` token),
 * after escaping: what the user-data snippets and the sealing key's rotation output hold.
 */
export function terraformTemplate(text: string, substitutions: ReadonlyMap<string, string> = new Map()): string {
  let data = terraformLiteral(text);
  for (const [placeholder, expression] of substitutions) data = data.split(placeholder).join(expression);
  return data;
}

/** A Terraform-safe logical name from construct path parts: k3s-master-1 → k3s_master_1. */
export function logicalName(parts: readonly string[]): string {
  const name = parts
    .join("_")
    .replace(/[^A-Za-z0-9_]/g, "_")
    .replace(/_+/g, "_");
  return /^[A-Za-z_]/.test(name) ? name : `_${name}`;
}
