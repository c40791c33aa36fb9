// The second, small stack: the automation user of seed 000 §1.4.3 (proxmox.automationUser) as
// code. It is applied once, with root's credentials (PROXMOX_VE_USERNAME=root@pam and
// PROXMOX_VE_PASSWORD in the environment), before the lab's stack, whose API token it creates:
// the user, its token without privilege separation (the token has the user's rights, as the
// seed's "uncheck Privilege Separation"), and the user's ACL on / with the spec's role.
// The role is one Proxmox already has (Administrator in seed 000); this stack does not define roles.
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import type { Cluster } from "../cluster/schema";
import { Acl } from "../imports/providers/proxmox/acl";
import { ProxmoxProvider } from "../imports/providers/proxmox/provider";
import { UserToken } from "../imports/providers/proxmox/user-token";
import { VirtualEnvironmentUser } from "../imports/providers/proxmox/virtual-environment-user";
import { configureBackend, type BackendOptions } from "./backend";
import { ReadableStack } from "./homelab-stack-base";
import { terraformLiteral } from "./terraform-names";

export interface AccessStackProps {
  readonly cluster: Cluster;
  readonly user: NonNullable<Cluster["proxmox"]["automationUser"]>;
  /** The stack's own state: the lab's backend with "-access" before .tfstate (local) or after the key (S3). */
  readonly backend: BackendOptions;
}

export class AccessStack extends ReadableStack {
  constructor(scope: Construct, id: string, props: AccessStackProps) {
    super(scope, id);
    const { cluster, user } = props;
    configureBackend(this, accessBackend(cluster.terraform.backend), props.backend);
    // Credentials only from the environment of `terraform apply` (root@pam, once).
    new ProxmoxProvider(this, "proxmox", { endpoint: terraformLiteral(cluster.proxmox.endpoint), insecure: cluster.proxmox.insecure });
    const account = new VirtualEnvironmentUser(this, "user", {
      userId: user.userId,
      comment: `${cluster.name}: Terraform and Ansible automation. Managed by Terraform (stack ${id}).`,
      enabled: true,
    });
    const token = new UserToken(this, "token", {
      userId: account.userId,
      tokenName: user.tokenName,
      privilegesSeparation: false,
      comment: `${cluster.name}: the lab stack's API token`,
    });
    new Acl(this, "acl", { path: "/", roleId: user.role, userId: account.userId, propagate: true });
    new TerraformOutput(this, "lab_api_token", {
      description: 'The token for the lab stack: export PROXMOX_VE_API_TOKEN="$(terraform output -raw lab_api_token)"',
      value: token.value,
      sensitive: true,
    });
  }
}

/** Where the access stack keeps its state, beside the lab's. */
export function accessBackend(backend: Cluster["terraform"]["backend"]): Cluster["terraform"]["backend"] {
  return backend.type === "local"
    ? { ...backend, path: backend.path.replace(/\.tfstate$/, "-access.tfstate") }
    : { ...backend, key: `${backend.key.replace(/\.tfstate$/, "")}-access.tfstate` };
}
