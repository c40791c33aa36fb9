// Documentation generated from the spec on every synth, so it can never drift:
// dist/docs/README.md (inventory, platform, apps, topology) and the README's sections
// between <!-- BEGIN generated:NAME --> and <!-- END generated:NAME --> markers.
import { sealCommand, sealedTargets } from "../../charts/sealed/targets";
import type { Cluster } from "../../cluster/schema";
import { syncWaves } from "../../charts/argocd/waves";
import { platformComponents } from "../../charts/platform";
import { appDirectories } from "../../charts/argocd/app-directories";
import { stackNames } from "../../infra/terraform-app";
import { byCodeUnits } from "./code-unit-order";
import { appBackupsOf, repositorySetupCommand } from "../../cluster/app-backups";
import { markdownCell } from "./markdown-cell";

const table = (header: readonly string[], rows: readonly (readonly (string | number)[])[]) =>
  [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.map(markdownCell).join(" | ")} |`)].join("\n");

function inventoryTable(cluster: Cluster): string {
  const gpus = new Map(cluster.proxmox.nodes.flatMap((n) => n.gpus.map((g) => [g.name, `${g.model} (${g.pci})`] as const)));
  return table(
    ["VM", "role", "IP", "VM id", "Proxmox node", "datastore", "vCPU", "RAM", "disk", "GPU"],
    cluster.vms.map((vm) => [
      vm.name,
      vm.role,
      vm.ip,
      vm.vmId,
      vm.node,
      vm.datastore,
      vm.cores,
      `${vm.memoryGiB} GiB`,
      `${vm.diskGiB}${vm.dataDiskGiB ? ` + ${vm.dataDiskGiB}` : ""} GiB`,
      vm.gpu ? gpus.get(vm.gpu)! : "",
    ]),
  );
}

function platformTable(cluster: Cluster): string {
  const components = platformComponents(cluster);
  const waves = syncWaves([...components, ...appDirectories(cluster, components)]);
  components.sort((a, b) => waves.get(a.name)! - waves.get(b.name)! || byCodeUnits(a.name, b.name));
  return table(
    ["component", "version", "namespace", "wave", "configured for"],
    components.map((c) => [
      c.name,
      c.helm
        ? `${c.helm.chart.chart} ${c.helm.chart.version}`
        : c.git
          ? `${c.git.repoURL.replace("https://github.com/", "")} ${c.git.version}`
          : "(our manifests)",
      c.namespace,
      waves.get(c.name)!,
      c.summary,
    ]),
  );
}

function appsTable(cluster: Cluster): string {
  return table(
    ["app", "namespace", "URL", "image", "needs"],
    cluster.apps
      .filter((a) => a.enabled)
      .map((a) => [
        a.name,
        a.namespace,
        `https://${a.host ?? a.name}.${cluster.domain}`,
        a.image,
        [a.gpu ? "GPU" : "", a.vpn ? "VPN" : ""].filter(Boolean).join(", "),
      ]),
  );
}

function topologyDiagram(cluster: Cluster): string {
  const id = (s: string) => s.replace(/[^A-Za-z0-9]/g, "_");
  const lines = ["```mermaid", "flowchart LR"];
  for (const node of cluster.proxmox.nodes) {
    lines.push(`  subgraph ${id(node.name)}["Proxmox ${node.name} (${node.host})"]`);
    for (const vm of cluster.vms.filter((v) => v.node === node.name)) lines.push(`    ${id(vm.name)}["${vm.name}<br/>${vm.role} · ${vm.ip}"]`);
    lines.push("  end");
  }
  lines.push(`  vip(("API VIP ${cluster.network.apiVip}"))`);
  for (const vm of cluster.vms.filter((v) => v.role === "control-plane")) lines.push(`  vip --- ${id(vm.name)}`);
  lines.push(`  gw{{"Gateway ${cluster.network.ingressIp}<br/>*.${cluster.domain}"}}`);
  for (const app of cluster.apps.filter((a) => a.enabled)) lines.push(`  gw --> ${id(`app_${app.name}`)}["${app.host ?? app.name}.${cluster.domain}"]`);
  lines.push("```");
  return lines.join("\n");
}

/** The commands that apply this lab's stacks, with its own folder names (a renamed lab's README stays true). */
function applySteps(cluster: Cluster): string {
  const { lab, access } = stackNames(cluster);
  const lines = ["```sh", "ssh-add ~/.ssh/id_ed25519                          # snippets are uploaded over SSH"];
  if (access)
    lines.push(
      `cd dist/terraform/stacks/${access}`,
      "export PROXMOX_VE_USERNAME=root@pam",
      "read -rs PROXMOX_VE_PASSWORD && export PROXMOX_VE_PASSWORD   # type the root password (no echo, no history, never in git)",
      "terraform init && terraform apply",
      'export PROXMOX_VE_API_TOKEN="$(terraform output -raw lab_api_token)"',
      "unset PROXMOX_VE_USERNAME PROXMOX_VE_PASSWORD",
      `cd ../${lab}`,
    );
  else lines.push("export PROXMOX_VE_API_TOKEN='user@realm!tokenid=…'   # a token of yours; never in git", `cd dist/terraform/stacks/${lab}`);
  const backups = appBackupsOf(cluster);
  if (backups) {
    // Once, on the host, with the shared directory's dataset mounted; never by the cluster (docs/storage.md).
    const { sshUsername, nodes } = cluster.proxmox;
    const command = repositorySetupCommand(backups);
    const remote = sshUsername === "root" ? `'${command}'` : `"sudo sh -c '${command}'"`;
    lines.push(`ssh ${sshUsername}@${nodes[0].host} ${remote}   # once: the app backups' repository and its marker (docs/storage.md)`);
  }
  lines.push(
    "cp terraform.tfvars.example terraform.tfvars       # gitignored; fill in every input below",
    "terraform init && terraform plan -out lab.plan && terraform apply lab.plan",
    ...sealSteps(cluster),
    "```",
  );
  return lines.join("\n");
}

/** After the first apply: the sealing certificate into cluster/, then one seal per value the lab needs (docs/secrets.md). */
function sealSteps(cluster: Cluster): string[] {
  const targets = sealedTargets(cluster);
  if (!targets.length) return [];
  const ownersByName = new Map<string, Set<string>>();
  for (const t of targets)
    for (const name of t.values?.map((v) => v.name) ?? ["<NAME>"]) ownersByName.set(name, (ownersByName.get(name) ?? new Set()).add(t.owner));
  const seals = [...ownersByName].map(([name, owners]) => {
    const command = sealCommand([...owners].join(","), name);
    return name === "<NAME>" ? `${command}   # each gluetun setting: VPN_SERVICE_PROVIDER, WIREGUARD_PRIVATE_KEY, …` : command;
  });
  return [
    "terraform output -raw sealing_certificate > ../../../../cluster/sealing-cert.pem   # public: commit it",
    "cd ../../../..",
    ...seals.map((command, i) => (i === 0 ? `${command}   # the value on stdin, or typed without echo` : command)),
    'npm run synth && git add cluster dist README.md && git commit -m "sealing certificate and sealed secrets"',
  ];
}

/** The README's generated sections for a spec (also the body of dist/docs/README.md). */
export interface ReadmeSections {
  readonly inventory: string;
  /** The commands that apply the stacks, in this lab's folders. */
  readonly apply: string;
  readonly platform: string;
  readonly apps: string;
  /** The Terraform stacks' inputs, once they are synthesized. */
  readonly "terraform-inputs"?: string;
}

export function readmeSections(cluster: Cluster): ReadmeSections {
  return { inventory: inventoryTable(cluster), apply: applySteps(cluster), platform: platformTable(cluster), apps: appsTable(cluster) };
}

export function docsReadme(cluster: Cluster, sections: ReadmeSections): string {
  return [
    `# ${cluster.name} — generated from cluster/ by \`npm run synth\`; do not edit`,
    "",
    "## Topology",
    "",
    topologyDiagram(cluster),
    "",
    "## Inventory",
    "",
    sections.inventory,
    "",
    "## Apply the Proxmox side",
    "",
    sections.apply,
    "",
    "## Platform (Argo CD applications, in sync-wave order)",
    "",
    sections.platform,
    "",
    "## Apps",
    "",
    sections.apps,
    "",
    ...(sections["terraform-inputs"] ? ["## Terraform inputs", "", sections["terraform-inputs"], ""] : []),
  ].join("\n");
}

/** Replaces each generated section of a markdown text; unknown markers are left alone. */
export function refreshSections(markdown: string, sections: Readonly<Record<string, string>>): string {
  return markdown.replace(/(<!-- BEGIN generated:([\w-]+) -->\n)[\s\S]*?(<!-- END generated:\2 -->)/g, (whole, begin: string, name: string, end: string) =>
    name in sections ? `${begin}${sections[name]}\n${end}` : whole,
  );
}

/** Whether a text holds git's conflict markers (`<<<<<<< ours`, `=======`, `>>>>>>> theirs`, diff3's `|||||||`). */
export function hasConflictMarkers(text: string): boolean {
  return /^(?:<{7}|\|{7}|={7}|>{7})(?: |$)/m.test(text);
}
