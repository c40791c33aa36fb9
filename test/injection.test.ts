// Hostile text in every free-text field of the spec: newlines, quotes, ": ", {{ }}, ${…}
// (Terraform interpolation), %{…} and YAML document separators must be rejected by
// validation or come out escaped — never change the structure of what we emit.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, parseAllDocuments } from "yaml";
import { parseCluster } from "../cluster/load";
import { SpecError } from "../cluster/problems";
import { placeholderBrackets } from "../cluster/secret-rules";
import { bootstrapSecrets } from "../infra/bootstrap/secrets";
import { docsReadme, readmeSections } from "../scripts/lib/generated-docs";
import { inputsTable, terraformInputs } from "../scripts/lib/terraform-inputs";
import { synthesize } from "../scripts/lib/synthesize";
import { readTree } from "../scripts/lib/output-tree";
import { checkTerraformTemplates, templatesIn } from "../scripts/lib/validate/terraform-expressions";
import { overlayReference, referenceSpec, root } from "./helpers/spec-fixture";
import { renderTemplate } from "./helpers/terraform-template";
import { referenceOutput, scratch } from "./helpers/tree";

const payloads = [
  "a\nb",
  'say "hi"',
  "key: value",
  "{{ .Values.x }}",
  '${file("/etc/shadow")}',
  "%{ if true }x%{ endif }",
  "---\nkind: Secret",
  "it's",
  "#comment",
  "a\u0000b",
];

/** Every field a person types free text into, with a benign value to embed the payload in. */
const fields: Record<string, string> = {
  "proxmox.nodes.0.gpus.0.model": "GeForce RTX 3060",
  "proxmox.nodes.0.datastores.1.purpose": "mirror",
  "apps.1.env.EXTRA": "value",
  "ssh.authorizedKeys.0": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOcZv9BBMCkJholIugp9S65qMGNoSJg8ESHuzI+xcATl me@laptop",
  "proxmox.automationUser.role": "Administrator",
};

function attempt(field: string, payload: string): { rejected: true; message: string } | { rejected: false; out: Map<string, string> } {
  const value = `${fields[field]} ${payload}`;
  try {
    parseCluster(overlayReference({ [field]: value }), "hostile.yaml");
  } catch (error) {
    if (error instanceof SpecError) return { rejected: true, message: error.message };
    throw error;
  }
  const dir = scratch(`inject-${Object.keys(fields).indexOf(field)}-${payloads.indexOf(payload)}`);
  const spec = join(dir, "hostile.yaml");
  writeFileSync(spec, overlayReference({ [field]: value }));
  synthesize({ clusterFile: spec, outDir: join(dir, "dist"), root });
  return { rejected: false, out: readTree(join(dir, "dist")) };
}

const reference = readTree(referenceOutput);
const shape = (tree: Map<string, string>) => [...tree.keys()].sort();

describe.each(Object.keys(fields))("hostile text in %s", (field) => {
  it.each(payloads)("%j is rejected with the field named, or escaped", async (payload) => {
    const result = attempt(field, payload);
    if (result.rejected) {
      expect(result.message).toContain(field.replace(/\.(\d+)/g, "[$1]").replace(".env.EXTRA", ".env.EXTRA"));
      return;
    }
    // Same files as the reference lab; every YAML still parses to the same number of documents;
    // every Terraform template still parses, and none interpolates anything but our references.
    expect(shape(result.out)).toEqual(shape(reference));
    for (const [file, text] of result.out) {
      if (file.endsWith(".yaml") && !file.startsWith("bootstrap/")) {
        expect({ file, docs: parseAllDocuments(text).length }).toEqual({ file, docs: parseAllDocuments(reference.get(file)!).length });
      }
    }
    const stack = JSON.parse(result.out.get("terraform/stacks/homelab/cdk.tf.json")!);
    expect(await checkTerraformTemplates(stack)).toEqual([]);
    const interpolations = templatesIn(stack).flatMap(([, t]) => t.match(/(?<![$%])[$%]\{[^}]*/g) ?? []);
    for (const i of interpolations)
      expect(i).toMatch(
        /^\$\{(random_password|tls_|yamlencode|base64encode|var\.|proxmox_|join|alltrue|self\.template|tonumber\(split\("\.", self\.version\))/,
      );
    for (const [, file] of Object.entries(stack.resource.proxmox_virtual_environment_file ?? {})) {
      const data = (file as any).source_raw.data as string;
      expect(parse(renderTemplate(data))).toBeTruthy(); // still one valid cloud-config
    }
  });
});

it("reference dist is what these comparisons assume", () => {
  expect(reference.has("terraform/stacks/homelab/cdk.tf.json")).toBe(true);
  expect(readFileSync(referenceSpec, "utf8")).toContain("GeForce RTX 3060");
});

describe("bootstrap placeholders cannot be written from the spec", () => {
  it("every placeholder Terraform replaces with a secret is bracketed by what the spec refuses", () => {
    for (const secret of bootstrapSecrets) expect(secret.placeholder).toMatch(new RegExp(`^${placeholderBrackets}[A-Z0-9_]+${placeholderBrackets}$`));
  });

  const sshKey = fields["ssh.authorizedKeys.0"];
  it.each(bootstrapSecrets.map((s) => s.placeholder))(
    "%s in an SSH key's comment, a repository URL's query, an env value or a GPU model is refused, naming the field",
    (placeholder) => {
      for (const [field, value, shown] of [
        ["ssh.authorizedKeys.0", `${sshKey.split(" ").slice(0, 2).join(" ")} x${placeholder}`, "ssh.authorizedKeys[0]"],
        ["gitops.repoUrl", `https://github.com/alex/lab.git?x=${placeholder}`, "gitops.repoUrl"],
        ["apps.1.env.EXTRA", `a${placeholder}b`, "apps[1].env.EXTRA"],
        ["proxmox.nodes.0.gpus.0.model", `RTX ${placeholder}`, "proxmox.nodes[0].gpus[0].model"],
      ]) {
        expect(() => parseCluster(overlayReference({ [field]: value }), "hostile.yaml")).toThrow(new RegExp(`${shown.replace(/[[\].]/g, "\\$&")}: holds '@@'`));
      }
    },
  );
});

describe("generated Markdown", () => {
  it("takes no table cell break or HTML from the spec (a GPU model, a repository URL)", () => {
    const cluster = parseCluster(
      overlayReference({
        "proxmox.nodes.0.gpus.0.model": "RTX 3060 | <script>alert(1)</script>",
        "gitops.repoUrl": "https://git.example.com/a|b<img/src=x>.git",
      }),
      "hostile.yaml",
    );
    const sections = readmeSections(cluster);
    const docs = docsReadme(cluster, {
      ...sections,
      "terraform-inputs": inputsTable(
        terraformInputs("homelab", { variable: { gitops_repo_token: { type: "string", description: `read access to ${cluster.gitops.repoUrl}` } } }),
      ),
    });
    expect(docs).not.toMatch(/<script|<img/);
    // Every row of every table has as many cells as its header.
    const cells = (line: string) => line.replace(/\\\|/g, "").split("|").length;
    for (const block of docs.split("\n\n").filter((b) => b.startsWith("| "))) {
      const [header, ...rows] = block.split("\n").filter(Boolean);
      for (const row of rows) expect({ row, cells: cells(row) }).toEqual({ row, cells: cells(header) });
    }
    expect(docs).toContain("RTX 3060 \\| &lt;script&gt;alert(1)&lt;/script&gt;");
  });
});
