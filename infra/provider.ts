// The bpg/proxmox provider configured from the spec. Credentials never appear in the
// output: the API token comes from the sensitive variable proxmox_api_token or, when that
// is unset (null), from PROXMOX_VE_API_TOKEN in the environment of `terraform apply`.
import { TerraformVariable } from "cdktf";
import { Construct } from "constructs";
import { ProxmoxProvider } from "../imports/providers/proxmox/provider";
import type { Cluster } from "../cluster/schema";
import { terraformLiteral } from "./terraform-names";

export interface ProxmoxConnectionProps {
  readonly proxmox: Cluster["proxmox"];
}

export class ProxmoxConnection extends Construct {
  readonly provider: ProxmoxProvider;

  constructor(scope: Construct, id: string, props: ProxmoxConnectionProps) {
    super(scope, id);
    const { proxmox } = props;
    const apiToken = new TerraformVariable(scope, "proxmox_api_token", {
      type: "string",
      sensitive: true,
      nullable: true,
      description: "Proxmox API token 'user@realm!tokenid=uuid'. Leave unset to use PROXMOX_VE_API_TOKEN.",
    });
    // default = null makes the variable optional; cdktf cannot express null as a default.
    apiToken.addOverride("default", null);
    this.provider = new ProxmoxProvider(scope, "proxmox", {
      endpoint: terraformLiteral(proxmox.endpoint),
      insecure: proxmox.insecure,
      apiToken: apiToken.stringValue,
      // Snippets (cloud-init user-data) are uploaded over SSH; the key comes from ssh-agent.
      ssh: {
        username: proxmox.sshUsername,
        agent: true,
        nodeAttribute: proxmox.nodes.map((node) => ({ name: node.name, address: node.host })),
      },
    });
  }
}
