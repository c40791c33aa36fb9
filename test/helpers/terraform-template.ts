// What Terraform does to a template string at apply time, enough for tests: every `${…}`
// (brace- and string-aware) becomes `value`, and the escapes `$${` / `%%{` become literal.
export function renderTemplate(template: string, value = "SECRET"): string {
  let out = "";
  for (let i = 0; i < template.length; i++) {
    if (template.startsWith("$${", i) || template.startsWith("%%{", i)) {
      out += template[i] + "{";
      i += 2;
    } else if (template.startsWith("${", i)) {
      i = endOfInterpolation(template, i + 2);
      out += value;
    } else out += template[i];
  }
  return out;
}

function endOfInterpolation(text: string, start: number): number {
  let depth = 1;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return i;
  }
  throw new Error(`unterminated interpolation at ${start}`);
}
