// The bpg/proxmox provider schema, in `terraform providers schema -json` format, covering
// the resources this project uses. `npm run import` writes it to imports/ and generates
// the TypeScript bindings from it, exactly as `cdktf get` would from the real provider.
import { backupJobSchema, poolSchema } from "./cluster-services";
import { downloadFileSchema, fileSchema } from "./files";
import { hardwareMappingDirSchema, hardwareMappingPciSchema } from "./mappings";
import { providerSchema } from "./provider";
import { vmSchema } from "./vm";

export const providerSource = "registry.terraform.io/bpg/proxmox";
export const providerVersion = "0.111.1";
/** The constraint cdktf.json declares and the bindings record. */
export const providerConstraint = `bpg/proxmox@= ${providerVersion}`;

export const proxmoxSchema = {
  format_version: "1.0",
  provider_schemas: {
    [providerSource]: {
      provider: providerSchema,
      resource_schemas: {
        proxmox_backup_job: backupJobSchema,
        proxmox_download_file: downloadFileSchema,
        proxmox_hardware_mapping_dir: hardwareMappingDirSchema,
        proxmox_hardware_mapping_pci: hardwareMappingPciSchema,
        proxmox_virtual_environment_file: fileSchema,
        proxmox_virtual_environment_pool: poolSchema,
        proxmox_virtual_environment_vm: vmSchema,
      },
      data_source_schemas: {},
    },
  },
  provider_versions: { [providerSource]: providerVersion },
};
