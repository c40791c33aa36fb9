// Spec rules against literal secrets: everything in the spec ends up in committed, published
// output, so a secret-looking env value or a URL with credentials is refused, and the fix names
// the supported way (secretEnv + a value sealed with `npm run seal`, docs/secrets.md).
// Messages name the field, never the value.
import type { SpecPath } from "./problems";
import type { Cluster } from "./schema";
import type { Report } from "./rule-kit";
import { credentialsInUrl, secretLooking } from "./secret-looking";

export function checkSecrets(spec: Cluster, report: Report): void {
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
