// A cloud-init user-data file uploaded as a Proxmox snippet (uploads go over SSH).
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { VirtualEnvironmentFile } from "../imports/providers/proxmox/virtual-environment-file";
import { terraformTemplate } from "./terraform-names";

export interface UserDataSnippetProps {
  readonly nodeName: string;
  /** A datastore with content type 'snippets' on that node. */
  readonly datastoreId: string;
  readonly fileName: string;
  /** The rendered cloud-config; escaped here so Terraform never interpolates it. */
  readonly content: string;
  /** Placeholder → Terraform expression (a token), substituted after escaping. @default none */
  readonly secrets?: ReadonlyMap<string, string>;
  /** The snippet datastore's definition, when Terraform manages it. @default none */
  readonly dependsOn?: readonly ITerraformDependable[];
}

export class UserDataSnippet extends Construct {
  readonly file: VirtualEnvironmentFile;

  constructor(scope: Construct, id: string, props: UserDataSnippetProps) {
    super(scope, id);
    const data = terraformTemplate(props.content, props.secrets);
    this.file = new VirtualEnvironmentFile(this, "file", {
      nodeName: props.nodeName,
      datastoreId: props.datastoreId,
      contentType: "snippets",
      sourceRaw: { fileName: props.fileName, data },
      ...(props.dependsOn?.length ? { dependsOn: [...props.dependsOn] } : {}),
    });
  }
}
