// Spec rules against literal secrets: everything in the spec ends up in committed, published
// output, so a secret-looking env value, a URL with credentials, or any string holding a known
// token format is refused, and the fix names the supported way (secretEnv + a value sealed with
// `npm run seal`, docs/secrets.md). Every string is also refused the sequence `@@`, which
// brackets the placeholders Terraform replaces with bootstrap secrets (infra/bootstrap/secrets.ts):
// no spec text can ever become one. Messages name the field, never the value.
import { formatPath, type SpecPath } from "./problems";
import type { Cluster } from "./schema";
import type { Report } from "./rule-kit";
import { credentialsInUrl, secretInBase64, secretInText, secretLooking } from "./secret-looking";

/** What brackets every bootstrap placeholder (infra/bootstrap/secrets.ts); test/injection.test.ts checks they all use it. */
export const placeholderBrackets = "@@";

export function checkSecrets(spec: Cluster, reportAll: Report): void {
  // One problem per field: the first rule that finds something names it.
  const reported = new Set<string>();
  const report: Report = (path, message, fix) => {
    if (reported.has(formatPath(path))) return;
    reported.add(formatPath(path));
    reportAll(path, message, fix);
  };
  checkUrl(
    spec.gitops.repoUrl,
    ["gitops", "repoUrl"],
    "the repository URL is published in every Argo CD Application; for a private repository add an Argo CD repository credential (docs/secrets.md)",
    report,
  );
  checkUrl(
    spec.proxmox.endpoint,
    ["proxmox", "endpoint"],
    "the provider takes the API token from the sensitive variable proxmox_api_token or PROXMOX_VE_API_TOKEN",
    report,
  );
  const backend = spec.terraform.backend;
  if (backend.type === "s3" && backend.endpoint) {
    checkUrl(backend.endpoint, ["terraform", "backend", "endpoint"], "Terraform reads S3 credentials from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", report);
  }
  checkAppSecrets(spec, report);
  walkStrings(spec, [], (path, value) => checkString(path, value, report));
}

function walkStrings(value: unknown, path: (string | number)[], visit: (path: SpecPath, value: string) => void): void {
  if (typeof value === "string") visit(path, value);
  else if (Array.isArray(value)) value.forEach((item, i) => walkStrings(item, [...path, i], visit));
  else if (value && typeof value === "object") for (const [key, child] of Object.entries(value)) walkStrings(child, [...path, key], visit);
}

const secretFix =
  "remove it from the spec: an app's secret goes in its secretEnv, sealed with npm run seal; the bootstrap's are sensitive Terraform variables (docs/secrets.md). Revoke it if it was ever committed";

/** Every string of the spec: no placeholder brackets, nothing that looks like a secret (secretInText), no base64 of one. */
function checkString(path: SpecPath, value: string, report: Report): void {
  if (value.includes(placeholderBrackets))
    return report(
      path,
      `holds '${placeholderBrackets}', which brackets the placeholders synth has Terraform replace with bootstrap secrets`,
      `remove the '${placeholderBrackets}' (no spec value may contain it)`,
    );
  const look = secretInText(value) ?? secretInBase64(value);
  if (look) report(path, `holds ${look}; the spec is committed and rendered into published files`, secretFix);
}

function checkUrl(url: string, path: SpecPath, fix: string, report: Report): void {
  const look = credentialsInUrl(url);
  if (look) report(path, `holds ${look}`, `remove them from the URL: ${fix}`);
}

function checkAppSecrets(spec: Cluster, report: Report): void {
  const byName = new Map<string, number>();
  spec.apps.forEach((app, i) => {
    for (const [name, value] of Object.entries(app.env)) {
      const look = secretLooking(name, value);
      if (look)
        report(
          ["apps", i, "env", name],
          `holds ${look}; the spec is committed and rendered into published manifests`,
          `remove it from env, list ${name} in apps[${i}].secretEnv and seal its value: npm run seal -- ${spec.apps[i].name} ${name} (docs/secrets.md)`,
        );
    }
    const seen = new Set<string>();
    app.secretEnv.forEach((name, n) => {
      if (name in app.env)
        report(["apps", i, "secretEnv", n], `${name} is also in env`, `keep it in one of them: secretEnv for a secret, env for a plain value`);
      if (seen.has(name)) report(["apps", i, "secretEnv", n], `${name} is listed twice`, "remove the duplicate");
      seen.add(name);
    });
    if (!app.secretEnv.length || !app.enabled) return;
    // Sealed values are filed by app name (cluster/sealed/<app>.yaml), so two apps with secrets must not share one.
    const first = byName.get(app.name);
    if (first !== undefined)
      report(
        ["apps", i, "name"],
        `apps[${first}] is also named ${app.name} and also has secretEnv; sealed values are filed by app name (cluster/sealed/${app.name}.yaml)`,
        "rename one of the apps",
      );
    byName.set(app.name, i);
  });
}
