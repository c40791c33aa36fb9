// Gateway API CRDs (standard channel), applied from the upstream repository at a pinned tag.
// First wave: Cilium's operator only starts its Gateway controller when they exist.
import type { VersionProps } from "./cluster-ops";
import type { PlatformComponent } from "./component";
import { gitSources } from "./versions";

export function gatewayApi(props: VersionProps = {}): PlatformComponent {
  const version = props.version ?? gitSources.gatewayApi.version;
  return {
    name: "gateway-api",
    namespace: "kube-system",
    podSecurity: "privileged",
    dependsOn: [],
    git: { ...gitSources.gatewayApi, version },
    serverSideApply: true, // the HTTPRoute CRD exceeds client-side apply's annotation limit
    summary: `Gateway API ${version} CRDs (standard channel)`,
  };
}
