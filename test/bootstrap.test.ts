// Zero-touch bootstrap: per-role cloud-init, k3s configs, the first server's auto-deploy
// manifests (which must equal what Argo CD later manages), secrets only as references,
// and day-2 safety of the VMs.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse, parseAllDocuments } from "yaml";
import { parseCluster } from "../cluster/load";
import type { Cluster } from "../cluster/schema";
import { renderApplications } from "../charts/k8s-app";
import { autoDeployManifests } from "../infra/bootstrap/auto-deploy";
import { k3sConfig } from "../infra/bootstrap/k3s-config";
import { describeSecrets } from "../infra/bootstrap/secrets";
import { synthTerraform } from "../infra/terraform-app";
import { renderUserData } from "../infra/user-data";
import { bootLines, manifestDownloads } from "../scripts/lib/check/convergence/read-bootstrap";
import { KubernetesSchemas } from "../scripts/lib/validate/kubernetes-schemas";
import { crdDirectory } from "../scripts/lib/validate/rendered-k8s";
import { overlayReference, referenceSpec, root } from "./helpers/spec-fixture";
import { scratch } from "./helpers/tree";

const reference = parseCluster(readFileSync(referenceSpec, "utf8"), "homelab.yaml");
const vm = (name: string) => reference.vms.find((v) => v.name === name)!;
const cloudConfig = (c: Cluster, name: string) => {
  const text = renderUserData(
    c,
    c.vms.find((v) => v.name === name)!,
  );
  expect(text.startsWith("#cloud-config\n")).toBe(true);
  return parse(text) as any;
};
const fileIn = (config: any, path: string) => config.write_files.find((f: any) => f.path === path)?.content as string | undefined;
const k3sOf = (name: string) => parse(fileIn(cloudConfig(reference, name), "/etc/rancher/k3s/config.yaml")!);
let n = 0;
const stackOf = (c: Cluster) => {
  const outdir = scratch(`bootstrap-tf-${n++}`);
  synthTerraform(c, { outdir, finalOutdir: join(root, "dist", "terraform"), root });
  return JSON.parse(readFileSync(join(outdir, "stacks", c.name, "cdk.tf.json"), "utf8"));
};

describe("k3s configuration per node", () => {
  it("keeps k3s's own CoreDNS unless platform.coredns is off", () => {
    expect(k3sOf("k3s-master-1").disable).not.toContain("coredns");
    const withoutCoredns = parseCluster(overlayReference({ "platform.coredns.enabled": false }), "no-coredns.yaml");
    for (const server of withoutCoredns.vms.filter((v) => v.role === "control-plane")) expect(k3sConfig(withoutCoredns, server).disable).toContain("coredns");
  });

  it("initialises etcd on the first control plane only; everyone else joins through the VIP", () => {
    expect(k3sOf("k3s-master-1")).toMatchObject({ "cluster-init": true, "node-ip": "10.10.10.50" });
    expect(k3sOf("k3s-master-1")).not.toHaveProperty("server");
    for (const v of reference.vms.slice(1)) {
      const config = k3sOf(v.name);
      expect({ name: v.name, server: config.server, init: config["cluster-init"] }).toEqual({
        name: v.name,
        server: "https://10.10.10.49:6443",
        init: undefined,
      });
    }
  });

  it("gives servers the settings Cilium and the platform need", () => {
    for (const name of ["k3s-master-1", "k3s-master-2", "k3s-master-3"]) {
      expect(k3sOf(name)).toMatchObject({
        "flannel-backend": "none",
        "disable-kube-proxy": true,
        "disable-network-policy": true,
        disable: ["traefik", "servicelb", "local-storage", "metrics-server"],
        "secrets-encryption": true,
        "cluster-cidr": "10.42.0.0/16",
        "service-cidr": "10.43.0.0/16",
        "node-taint": ["CriticalAddonsOnly=true:NoExecute"],
      });
      expect(k3sOf(name)["tls-san"]).toEqual(expect.arrayContaining(["10.10.10.49", "api.lab.alexkm.me"]));
    }
  });

  it("matches every node's name and address to the spec", () => {
    for (const v of reference.vms)
      expect(k3sOf(v.name)).toMatchObject({
        "node-name": v.name,
        "node-ip": v.ip,
        token: v.role === "control-plane" ? "@@K3S_TOKEN@@" : "@@K3S_AGENT_TOKEN@@",
      });
  });

  it("labels and taints GPU, VPN and Longhorn nodes", () => {
    // nvidia.com/gpu.present: without it the device plugin chart's default affinity places no pod.
    expect(k3sOf("k3s-worker-gpu-1")).toMatchObject({
      "node-label": ["homelab.dev/k3s-version=v1.33.5-k3s1", "homelab.dev/gpu-vendor=nvidia", "nvidia.com/gpu.present=true"],
      "node-taint": ["nvidia.com/gpu=true:NoSchedule"],
    });
    expect(k3sOf("k3s-worker-vpn-brazil")).toMatchObject({
      "node-label": ["homelab.dev/k3s-version=v1.33.5-k3s1", "homelab.dev/vpn=true", "homelab.dev/vpn-region=brazil"],
      "node-taint": ["homelab.dev/vpn=true:NoSchedule"],
    });
    expect(k3sOf("k3s-worker-1")["node-label"]).toEqual(["homelab.dev/k3s-version=v1.33.5-k3s1", "node.longhorn.io/create-default-disk=true"]);
    // Every node, control planes too: the upgrade Plans pass over a node already at their version.
    expect(k3sOf("k3s-master-1")["node-label"]).toEqual(["homelab.dev/k3s-version=v1.33.5-k3s1"]);
    expect(k3sOf("k3s-worker-1")).not.toHaveProperty("node-taint");
  });
});

describe("cloud-init per role", () => {
  it("installs the pinned k3s as server or agent, as the first boot's last step", () => {
    for (const v of reference.vms) {
      const lines = bootLines({ file: "", config: cloudConfig(reference, v.name) });
      const install = [...lines].reverse().find((l) => l.includes("INSTALL_K3S_EXEC"))!;
      expect(lines.join("\n")).toContain("https://raw.githubusercontent.com/k3s-io/k3s/v1.33.5%2Bk3s1/install.sh");
      expect(install).toContain(`INSTALL_K3S_VERSION='v1.33.5+k3s1' INSTALL_K3S_EXEC='${v.role === "control-plane" ? "server" : "agent"}'`);
    }
  });

  it("sets up the NVIDIA driver and container toolkit on the GPU worker only, before k3s starts", () => {
    const steps = bootLines({ file: "", config: cloudConfig(reference, "k3s-worker-gpu-1") });
    const at = (text: string) => steps.findIndex((s) => s.includes(text));
    expect(at("nvidia-container-toolkit")).toBeGreaterThan(at("nvidia-headless-no-dkms"));
    expect(at("nvidia-container-toolkit")).toBeLessThan(at("INSTALL_K3S_EXEC"));
    for (const v of reference.vms.filter((x) => x.role !== "gpu-worker"))
      expect(bootLines({ file: "", config: cloudConfig(reference, v.name) }).join("\n")).not.toContain("nvidia");
  });

  it("mounts /data and /archive over virtiofs and prepares Longhorn on workers, not on control planes", () => {
    const worker = cloudConfig(reference, "k3s-worker-2");
    expect(worker.mounts.map((m: string[]) => m[1])).toEqual(["/data", "/archive", "/var/lib/longhorn"]);
    const packages = (name: string) => bootLines({ file: "", config: cloudConfig(reference, name) }).find((l) => l.startsWith("apt_get install"))!;
    expect(packages("k3s-worker-2")).toMatch(/qemu-guest-agent .*open-iscsi nfs-common/);
    expect(fileIn(worker, "/etc/multipath.conf")).toContain("blacklist");
    const master = cloudConfig(reference, "k3s-master-2");
    expect(master.mounts).toBeUndefined();
    expect(packages("k3s-master-2")).not.toContain("open-iscsi");
  });

  it("puts the auto-deploy manifests on the first control plane only", () => {
    const manifests = (name: string) =>
      cloudConfig(reference, name)
        .write_files.filter((f: any) => f.path.startsWith("/var/lib/rancher/k3s/server/manifests/"))
        .map((f: any) => f.path.split("/").pop());
    expect(manifests("k3s-master-1")).toEqual([
      "kube-vip.yaml",
      "cilium.yaml",
      "argocd.yaml",
      "root-application.yaml",
      "sealing-key.yaml",
      "gitops-repository.yaml",
    ]);
    expect(manifests("k3s-master-2")).toEqual([]);
    // Downloaded before k3s starts, under names that sort before cilium.yaml: the standard CRDs and TLSRoute.
    const downloads = manifestDownloads({ file: "", config: cloudConfig(reference, "k3s-master-1") });
    expect(downloads).toEqual([
      ["00-gateway-api-standard.yaml", "https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.3.0/standard-install.yaml"],
      [
        "00-gateway-api-tlsroutes.yaml",
        "https://raw.githubusercontent.com/kubernetes-sigs/gateway-api/v1.3.0/config/crd/experimental/gateway.networking.k8s.io_tlsroutes.yaml",
      ],
    ]);
    expect(downloads.every(([file]) => file < "cilium.yaml")).toBe(true);
  });

  it("reads the same under YAML 1.1 (cloud-init's PyYAML) and YAML 1.2", () => {
    for (const v of reference.vms) {
      const text = renderUserData(reference, v);
      expect(parse(text, { version: "1.1" })).toEqual(parse(text, { version: "1.2" }));
      const k3s = fileIn(parse(text), "/etc/rancher/k3s/config.yaml")!;
      expect(parse(k3s, { version: "1.1" })).toEqual(parse(k3s, { version: "1.2" }));
    }
  });

  it("stays well under Proxmox's snippet limits", () => {
    for (const v of reference.vms) expect(Buffer.byteLength(renderUserData(reference, v))).toBeLessThan(64 * 1024);
  });
});

describe("the platform installs itself and Argo CD takes it over unchanged", () => {
  const files = autoDeployManifests(reference);
  const docs = (name: string) => parseAllDocuments(files.get(name)!).map((d) => d.toJS() as any);
  const argoApps = [...renderApplications(reference).values()].flat().filter((o: any) => o.kind === "Application");
  const argoApp = (name: string) => argoApps.find((a: any) => a.metadata.name === name) as any;

  it("installs Cilium in bootstrap mode with exactly the values of its Argo CD Application", () => {
    const [helmChart] = docs("cilium.yaml");
    const source = argoApp("cilium").spec.sources[0];
    expect(helmChart.spec).toMatchObject({
      chart: source.chart,
      repo: source.repoURL,
      version: source.targetRevision,
      targetNamespace: "kube-system",
      bootstrap: true,
    });
    expect(helmChart.metadata.name).toBe(source.helm.releaseName);
    expect(parse(helmChart.spec.valuesContent)).toEqual(source.helm.valuesObject);
    expect(parse(helmChart.spec.valuesContent)).toMatchObject({ k8sServiceHost: "127.0.0.1", k8sServicePort: 6444, kubeProxyReplacement: true });
  });

  it("installs Argo CD with exactly the values of its own Application, and the root Application", () => {
    const [helmChart] = docs("argocd.yaml");
    const source = argoApp("argocd").spec.sources[0];
    expect(helmChart.spec).toMatchObject({ chart: source.chart, version: source.targetRevision, targetNamespace: "argocd" });
    expect(helmChart.metadata.name).toBe(source.helm.releaseName);
    expect(parse(helmChart.spec.valuesContent)).toEqual(source.helm.valuesObject);
    const [root] = docs("root-application.yaml");
    expect(root.spec).toEqual(argoApp("root").spec);
    expect(root.spec.source).toEqual({ repoURL: reference.gitops.repoUrl, targetRevision: "rendered", path: "k8s/argocd-apps" });
  });

  it("runs kube-vip on the control planes with the spec's VIP", () => {
    const daemonSet = docs("kube-vip.yaml").find((d) => d.kind === "DaemonSet");
    const env = Object.fromEntries(daemonSet.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value]));
    expect(env).toMatchObject({ address: "10.10.10.49", vip_arp: "true", cp_enable: "true", svc_enable: "false" });
    // The local supervisor, not the in-cluster Service address only Cilium serves (kube-vip#721).
    expect(env).toMatchObject({ KUBERNETES_SERVICE_HOST: "127.0.0.1", KUBERNETES_SERVICE_PORT: "6443" });
    expect(daemonSet.spec.template.spec.hostNetwork).toBe(true);
  });

  it("renders only valid objects", () => {
    const schemas = new KubernetesSchemas(crdDirectory(root));
    for (const [name, text] of files) {
      for (const doc of parseAllDocuments(describeSecrets(text))) {
        const object = doc.toJS();
        const verdict = schemas.validate(object);
        if (object.kind === "Secret") continue; // its data is a placeholder until apply (checked below)
        expect({ name, kind: object.kind, verdict }).toEqual({ name, kind: object.kind, verdict: { status: "valid" } });
      }
    }
  });
});

describe("secrets are references, never values", () => {
  const stack = stackOf(reference);
  const snippets = Object.values<any>(stack.resource.proxmox_virtual_environment_file);

  it("injects the join tokens from random_password; the platform's other secrets are sealed in git, not Terraform variables", () => {
    for (const s of snippets) expect(s.source_raw.data).toMatch(/token: ['"]\$\{random_password\.k3s_(agent_)?token\.result\}['"]/);
    expect(stack.resource.random_password.k3s_token).toMatchObject({ length: 48, special: false, lifecycle: { prevent_destroy: true } });
    expect(stack.terraform.required_providers.random).toEqual({ source: "hashicorp/random", version: "= 3.7.2" });
    expect(Object.keys(stack.variable).sort()).toEqual(["gitops_repo_token", "proxmox_api_token"]);
  });

  it("generates the sealing key pair (RSA 4096, hashicorp/tls) and outputs the certificate, the key only as a sensitive manifest", () => {
    expect(stack.terraform.required_providers.tls).toEqual({ source: "hashicorp/tls", version: "= 4.1.0" });
    // Nothing replaces the key by accident: a rotation forgets it first (terraform state rm), as for the k3s tokens.
    expect(stack.resource.tls_private_key.sealing_key).toMatchObject({ algorithm: "RSA", rsa_bits: 4096, lifecycle: { prevent_destroy: true } });
    // The certificate may be replaced (a lab rename, its expiry): the key stays, and values are sealed for the key.
    expect(stack.resource.tls_self_signed_cert.sealing_cert.lifecycle).toBeUndefined();
    expect(stack.resource.tls_self_signed_cert.sealing_cert).toMatchObject({
      private_key_pem: "${tls_private_key.sealing_key.private_key_pem}",
      validity_period_hours: 87600,
      subject: [{ common_name: "sealed-secrets homelab" }],
    });
    expect(stack.output.sealing_certificate).toMatchObject({ value: "${tls_self_signed_cert.sealing_cert.cert_pem}" });
    expect(stack.output.sealing_certificate.sensitive).toBeUndefined();
    expect(stack.output.sealing_key_manifest).toMatchObject({ sensitive: true });
  });

  it("delivers the key at first boot as the controller's active key Secret: label active, type kubernetes.io/tls, in its namespace", () => {
    // bitnami-labs/sealed-secrets@v0.36.6: pkg/controller/keys.go#L20-L21 (the label), #L91-L104 (the Secret it writes itself), main.go#L69-L97 (what it reads).
    const [namespace, secret] = parseAllDocuments(autoDeployManifests(reference).get("sealing-key.yaml")!).map((d) => d.toJS());
    expect(namespace).toMatchObject({ kind: "Namespace", metadata: { name: "sealed-secrets" } });
    expect(secret).toEqual({
      apiVersion: "v1",
      kind: "Secret",
      type: "kubernetes.io/tls",
      metadata: { name: "sealed-secrets-key", namespace: "sealed-secrets", labels: { "sealedsecrets.bitnami.com/sealed-secrets-key": "active" } },
      data: { "tls.crt": "@@SEALING_CERTIFICATE_BASE64@@", "tls.key": "@@SEALING_KEY_BASE64@@" },
    });
    const file = cloudConfig(reference, "k3s-master-1").write_files.find((f: any) => f.path.endsWith("/sealing-key.yaml"));
    expect(file.permissions).toBe("0600");
    for (const vm of reference.vms.slice(1))
      expect(cloudConfig(reference, vm.name).write_files.some((f: any) => f.path.endsWith("/sealing-key.yaml"))).toBe(false);
    const data = snippets.find((s) => s.source_raw.file_name === "k3s-master-1.user-data.yaml").source_raw.data as string;
    expect(data).toMatch(/tls\.key: ['"]\$\{base64encode\(tls_private_key\.sealing_key\.private_key_pem\)\}['"]/);
    expect(data).toMatch(/tls\.crt: ['"]\$\{base64encode\(tls_self_signed_cert\.sealing_cert\.cert_pem\)\}['"]/);
    // The controller looks for this name (--key-prefix) and renews no key.
    const values = renderApplications(reference)
      .get("argocd-apps")!
      .find((o: any) => o.kind === "Application" && o.metadata.name === "sealed-secrets").spec.sources[0].helm.valuesObject;
    expect(values).toMatchObject({ secretName: "sealed-secrets-key", keyrenewperiod: "0" });
  });

  it("hands a running cluster the very first-boot file on rotation: the sealing_key_manifest output is sealing-key.yaml, Namespace first, and the Namespace is never pruned", () => {
    // k3s applies a changed file as one Addon and deletes what it applied before and the file no
    // longer holds, Namespaces included (k3s pkg/deploy/controller.go deploy(): WithGVK of the
    // kinds applied before; rancher/wrangler v3.2.3 pkg/apply/desiredset_process.go#L407-L430):
    // a rotation file without the Namespace would delete it, and the controller and the new key with it.
    const expressions = [
      ["${base64encode(tls_private_key.sealing_key.private_key_pem)}", "@@SEALING_KEY_BASE64@@"],
      ["${base64encode(tls_self_signed_cert.sealing_cert.cert_pem)}", "@@SEALING_CERTIFICATE_BASE64@@"],
    ];
    const withPlaceholders = (text: string) => expressions.reduce((t, [expression, placeholder]) => t.split(expression).join(placeholder), text);
    const firstBoot = autoDeployManifests(reference).get("sealing-key.yaml")!;
    const rotation = stack.output.sealing_key_manifest.value;
    expect(typeof rotation).toBe("string");
    expect(withPlaceholders(rotation)).toBe(firstBoot);
    // …and the text the first server's user-data writes, as Terraform fills both in.
    const data = snippets.find((s) => s.source_raw.file_name === "k3s-master-1.user-data.yaml").source_raw.data as string;
    const written = (parse(withPlaceholders(data).split("$${").join("${")) as any).write_files.find((f: any) => f.path.endsWith("/sealing-key.yaml"));
    expect(written.content).toBe(withPlaceholders(rotation));
    const objects = parseAllDocuments(withPlaceholders(rotation)).map((d) => d.toJS());
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(["Namespace/sealed-secrets", "Secret/sealed-secrets-key"]);
    // wrangler keeps an object labelled so even when a file no longer holds it (desiredset_process.go#L407-L412).
    expect(objects[0].metadata.labels).toMatchObject({ "objectset.rio.cattle.io/prune": "false" });
  });

  it("gives Argo CD the private rendered repository's HTTPS token as a repository Secret, from a sensitive variable", () => {
    expect(reference.gitops.private).toBe(true); // the reference lab's repository is private
    const [secret] = parseAllDocuments(autoDeployManifests(reference).get("gitops-repository.yaml")!).map((d) => d.toJS());
    // argo-cd@v3.4.4:docs/operator-manual/declarative-setup.md, "Repositories": the exact URL the Applications use.
    expect(secret).toEqual({
      apiVersion: "v1",
      kind: "Secret",
      type: "Opaque",
      metadata: { name: "rendered-repository", namespace: "argocd", labels: { "argocd.argoproj.io/secret-type": "repository" } },
      stringData: { type: "git", url: "https://github.com/alexandrekm/k3s-home-lab.git", username: "git" },
      data: { password: "@@GITOPS_REPO_TOKEN_BASE64@@" },
    });
    expect(stack.variable.gitops_repo_token).toMatchObject({ type: "string", sensitive: true, nullable: false });
    const data = snippets.find((s) => s.source_raw.file_name === "k3s-master-1.user-data.yaml").source_raw.data as string;
    expect(data).toMatch(/password: ['"]\$\{base64encode\(var\.gitops_repo_token\)\}['"]/);
    const open = parseCluster(overlayReference({ "gitops.private": false }), "public.yaml");
    expect(autoDeployManifests(open).has("gitops-repository.yaml")).toBe(false);
    expect(stackOf(open).variable.gitops_repo_token).toBeUndefined();
  });

  it("leaves no placeholder and no token literal in the Terraform JSON or dist/bootstrap", () => {
    const text = JSON.stringify(stack);
    expect(text).not.toContain("@@");
    for (const v of reference.vms) {
      const reviewed = describeSecrets(renderUserData(reference, v));
      expect(reviewed).not.toContain("@@");
      expect(reviewed).toMatch(/<k3s (server|agent) token: random_password\.k3s_(agent_)?token, set by terraform apply>/);
    }
  });

  it("escapes Terraform interpolation in user-supplied text, so it cannot inject expressions", () => {
    const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOcZv9BBMCkJholIugp9S65qMGNoSJg8ESHuzI+xcATl ${file("/etc/shadow")} %{ if true }x%{ endif }';
    const hostile = parseCluster(overlayReference({ "ssh.authorizedKeys.0": key }), "hostile.yaml");
    const data = Object.values<any>(stackOf(hostile).resource.proxmox_virtual_environment_file)[0].source_raw.data as string;
    expect(data).toContain('$${file("/etc/shadow")}');
    expect(data).toContain("%%{ if true }x%%{ endif }");
    // The only live interpolations left are the bootstrap secrets' references.
    expect(data.match(/(?<!\$)\$\{[^}]*\}/g)).toEqual([
      "${random_password.k3s_token.result}",
      "${random_password.k3s_agent_token.result}",
      "${base64encode(tls_self_signed_cert.sealing_cert.cert_pem)}",
      "${base64encode(tls_private_key.sealing_key.private_key_pem)}",
      "${base64encode(var.gitops_repo_token)}",
    ]);
  });
});

describe("day-2 safety", () => {
  it("bumping the k3s version upgrades running nodes through the upgrade Plans, servers first", () => {
    const upgraded = parseCluster(overlayReference({ "k3s.version": "v1.34.1+k3s1" }), "upgrade.yaml");
    const plans = renderApplications(upgraded)
      .get("system-upgrade")!
      .filter((o: any) => o.kind === "Plan");
    expect(plans.map((p: any) => [p.metadata.name, p.spec.version])).toEqual([
      ["server-plan", "v1.34.1+k3s1"],
      ["agent-plan", "v1.34.1+k3s1"],
    ]);
    expect(plans[1].spec.prepare.args).toEqual(["prepare", "server-plan"]);
    expect(plans.every((p: any) => p.spec.concurrency === 1)).toBe(true);
    // Nodes installed with the old release carry its label, so both Plans select them.
    for (const plan of plans)
      expect(plan.spec.nodeSelector.matchExpressions).toContainEqual({ key: "homelab.dev/k3s-version", operator: "NotIn", values: ["v1.34.1-k3s1"] });
  });

  it("bumping the k3s version changes the user-data snippets but no VM", () => {
    const before = stackOf(reference);
    const after = stackOf(parseCluster(overlayReference({ "k3s.version": "v1.34.1+k3s1" }), "upgrade.yaml"));
    expect(after.resource.proxmox_virtual_environment_vm).toEqual(before.resource.proxmox_virtual_environment_vm);
    expect(after.resource.proxmox_virtual_environment_file).not.toEqual(before.resource.proxmox_virtual_environment_file);
    for (const v of Object.values<any>(after.resource.proxmox_virtual_environment_vm).filter((x) => !x.template)) {
      expect(v.lifecycle.ignore_changes).toEqual(["clone", "initialization[0].user_data_file_id", "efi_disk", "agent[0].wait_for_ip"]);
    }
  });

  it("the reference k3s config does not depend on anything a day-2 edit of packages would touch", () => {
    expect(k3sConfig(reference, vm("k3s-worker-1"))).not.toHaveProperty("cluster-init");
  });
});
