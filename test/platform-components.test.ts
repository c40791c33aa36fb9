// Platform components on their own, from flat props: each renders its chart (namespace and
// objects) and its Helm source as a user of the constructs would see them.
import { Testing } from "cdk8s";
import { PlatformComponentChart, argocd, certManager, cilium, gateway, kured, longhorn, systemUpgrade, type PlatformComponent } from "../lib";

const render = (component: PlatformComponent) => Testing.synth(new PlatformComponentChart(Testing.app(), component.name, component));

describe("platform components from flat props", () => {
  it("cilium: an LB pool and an L2 policy for the given range, and API access without kube-proxy", () => {
    const component = cilium({ apiServer: { host: "127.0.0.1", port: 6444 }, loadBalancerPool: { start: "10.0.0.100", stop: "10.0.0.200" } });
    expect(component.helm?.values).toMatchObject({ k8sServiceHost: "127.0.0.1", k8sServicePort: 6444, kubeProxyReplacement: true });
    expect(component.helm?.chart.version).toBe("1.18.2");
    const objects = render(component);
    expect(objects.map((o) => o.kind)).toEqual(["CiliumLoadBalancerIPPool", "CiliumL2AnnouncementPolicy"]);
    expect(objects[0].spec.blocks).toEqual([{ start: "10.0.0.100", stop: "10.0.0.200" }]);
  });

  it("cert-manager: both Let's Encrypt issuers for the zone, DNS-01 through the bootstrap's Cloudflare Secret", () => {
    const objects = render(certManager({ acmeEmail: "ops@example.com", domain: "example.com", issuer: "letsencrypt-staging", version: "v1.20.0" }));
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(["Namespace/cert-manager", "ClusterIssuer/letsencrypt-staging", "ClusterIssuer/letsencrypt-production"]);
    expect(objects[1].spec.acme.solvers[0]).toEqual({ selector: { dnsZones: ["example.com"] }, dns01: { cloudflare: { apiTokenSecretRef: { name: "cloudflare-api-token", key: "api-token" } } } });
  });

  it("gateway: a wildcard certificate from the chosen issuer and the Gateway on the ingress address", () => {
    const objects = render(gateway({ domain: "example.com", ingressIp: "10.0.0.100", issuer: "letsencrypt-staging" }));
    const cert = objects.find((o) => o.kind === "Certificate");
    expect(cert.spec).toMatchObject({ dnsNames: ["example.com", "*.example.com"], issuerRef: { name: "letsencrypt-staging" } });
    expect(objects.find((o) => o.kind === "Gateway").spec.infrastructure.annotations).toEqual({ "lbipam.cilium.io/ips": "10.0.0.100" });
  });

  it("argocd, longhorn, kured and system-upgrade take what their props say", () => {
    expect(argocd({ domain: "example.com" }).helm?.values).toMatchObject({ global: { domain: "argocd.example.com" } });
    expect(longhorn({ replicaCount: 2, snapshotRetain: 3 }).helm?.values).toMatchObject({ persistence: { defaultClassReplicaCount: 2 } });
    expect(render(longhorn({ replicaCount: 2, snapshotRetain: 3 })).find((o) => o.kind === "RecurringJob").spec.retain).toBe(3);
    expect(kured({ rebootDays: ["mo"], startTime: "01:00", endTime: "03:00", timeZone: "Europe/Berlin" }).helm?.values).toMatchObject({ configuration: { rebootDays: ["mo"], timeZone: "Europe/Berlin" } });
    const plans = render(systemUpgrade({ k3sVersion: "v1.33.5+k3s1" })).filter((o) => o.kind === "Plan");
    expect(plans.map((p) => p.spec.version)).toEqual(["v1.33.5+k3s1", "v1.33.5+k3s1"]);
  });
});
