// Kubernetes hygiene of the objects we render, in the spirit of kube-linter and the Pod
// Security Standards: pinned images, requests and limits, probes, no host access unless the
// spec declares it, no service-account token unless needed, every namespace labelled.
import type { RenderedObject } from "../validate/kubernetes-references";
import { objectId, podSpecOf } from "../validate/kubernetes-objects";
import type { Finding } from "./findings";
export { exemptionsFromSpec } from "./exemptions";

const workloadKinds = new Set(["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "ReplicaSet", "Pod"]);
const runsToCompletion = new Set(["Job", "CronJob"]);

export function checkHygiene(rendered: readonly RenderedObject[]): Finding[] {
  const findings: Finding[] = [];
  for (const { file, object } of rendered) {
    const id = objectId(object);
    const report = (rule: string, message: string, fix: string, detail = "") =>
      findings.push({ file: `k8s/${file}`, object: `${id}${detail}`, rule, message, fix });
    if (object.kind === "Namespace") {
      if (!object.metadata.labels?.["pod-security.kubernetes.io/enforce"])
        report("namespace-pod-security", "has no pod-security.kubernetes.io/enforce label", "label it privileged, baseline or restricted");
      continue;
    }
    if (!workloadKinds.has(object.kind)) continue;
    const pod = podSpecOf(object);
    if (!pod) continue;
    if (pod.automountServiceAccountToken !== false)
      report("service-account-token", "mounts a service-account token", "set automountServiceAccountToken: false unless the app talks to the Kubernetes API");
    for (const flag of ["hostNetwork", "hostPID", "hostIPC"] as const) {
      if (pod[flag]) report("host-access", `uses ${flag}`, "remove it, or declare an exemption with a reason in the spec", `#${flag}`);
    }
    for (const volume of pod.volumes ?? []) {
      if (volume.hostPath)
        report(
          "host-access",
          `mounts host path ${volume.hostPath.path}`,
          "mount only the spec's sharedDirectories (apps[].mounts)",
          `#hostPath:${volume.hostPath.path}`,
        );
    }
    const containers = [...(pod.containers ?? []), ...(pod.initContainers ?? [])];
    for (const c of containers) {
      const where = ` (container ${c.name})`;
      if (!/:[A-Za-z0-9._-]+(@sha256:[0-9a-f]{64})?$/.test(c.image) || /:latest(@|$)/.test(c.image))
        report("image-pinned", `image ${c.image} is not pinned to a version tag${where}`, "use registry/name:version");
      const longRunning = !pod.initContainers?.includes(c) || c.restartPolicy === "Always";
      // A Job's containers run to their end: nothing routes to them, and a restart would not help.
      const serves = longRunning && !runsToCompletion.has(object.kind);
      const r = c.resources ?? {};
      if (longRunning && !(r.requests?.cpu && r.requests?.memory && r.limits?.cpu && r.limits?.memory))
        report("resources", `lacks cpu/memory requests or limits${where}`, "set resources.requests and resources.limits for cpu and memory");
      if (serves && !c.livenessProbe) report("probes", `has no liveness probe${where}`, "add a livenessProbe (apps: probePath for HTTP, TCP otherwise)");
      if (serves && !pod.initContainers?.includes(c) && !c.readinessProbe) report("probes", `has no readiness probe${where}`, "add a readinessProbe");
      const sc = c.securityContext ?? {};
      if (sc.privileged) report("host-access", `runs privileged${where}`, "drop privileged, or declare an exemption with a reason", "#privileged");
      for (const cap of sc.capabilities?.add ?? []) {
        if (cap !== "NET_BIND_SERVICE")
          report("host-access", `adds capability ${cap}${where}`, "drop it, or declare an exemption with a reason", `#capability:${cap}`);
      }
    }
  }
  return findings;
}
