// The plan reads the Proxmox VE version (GET /version; bpg v0.111.1 fwprovider/datasource_version.go)
// and fails unless the host runs at least the version the spec names (proxmox.version), which the
// spec rules hold to what its features need (content 'import' and virtiofs: 8.4).
import { Construct } from "constructs";
import { DataProxmoxVersion } from "../imports/providers/proxmox/data-proxmox-version";

export interface ProxmoxVersionCheckProps {
  /** proxmox.version of the spec, e.g. "8.4.1". */
  readonly atLeast: string;
}

export class ProxmoxVersionCheck extends Construct {
  readonly version: DataProxmoxVersion;

  constructor(scope: Construct, id: string, props: ProxmoxVersionCheckProps) {
    super(scope, id);
    const [major, minor, patch = 0] = props.atLeast.split(".").map(Number);
    // "8.4.1" → 8004001, the same for the host's version; a missing patch counts as 0.
    const number = (v: string) => `tonumber(split(".", ${v})[0]) * 1000000 + tonumber(split(".", ${v})[1]) * 1000 + try(tonumber(split(".", ${v})[2]), 0)`;
    this.version = new DataProxmoxVersion(this, "version", {
      lifecycle: {
        postcondition: [
          {
            condition: `\${${number("self.version")} >= ${major * 1_000_000 + minor * 1000 + patch}}`,
            errorMessage: `The Proxmox VE host runs an older version than proxmox.version (${props.atLeast}) in the spec: upgrade the host, or set the version pveversion prints (the spec's rules then say which features need more).`,
          },
        ],
      },
    });
  }
}
