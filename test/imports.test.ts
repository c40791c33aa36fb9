// imports/ is generated only: regenerating must reproduce it exactly, from the real provider
// schema when the reference pack is beside the repository, and from the committed types-only
// schema on any clone.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { proxmoxConstraint, proxmoxSource, proxmoxTypes, realSchemaPath, typesOnlySchema, type ProvidersSchema } from "../scripts/lib/provider-schema";
import { prebuiltProviderVersions } from "../infra/prebuilt-providers";
import { prebuiltProviders, prebuiltSchema } from "../scripts/lib/prebuilt-schema";
import { providerPin, schemaProviders } from "../scripts/lib/provider-schema";
import { root } from "./helpers/spec-fixture";

const committed = JSON.parse(readFileSync(join(root, "imports", "bpg-proxmox.schema.json"), "utf8")) as ProvidersSchema;
const proxmox = committed.provider_schemas[proxmoxSource];
const { version } = proxmoxConstraint(root);
const realFile = realSchemaPath(root, version);
const withReal = existsSync(realFile) ? it : it.skip;
if (!existsSync(realFile)) console.warn(`imports: the real bpg/proxmox ${version} schema is not at ${realFile}; comparing with it is SKIPPED`);

describe("imports/", () => {
  it("is exactly what `npm run import` generates (bindings, schemas, CRD modules)", () => {
    const result = spawnSync(process.execPath, [join(root, "scripts", "run.cjs"), "scripts/import.ts", "--check"], { cwd: root, encoding: "utf8" });
    expect(result.stderr).not.toContain("stale");
    expect(result.stdout).toContain("imports/: up to date");
    expect(result.status).toBe(0);
  });

  it("checks on a clone without the reference pack: bindings regenerated from the committed schema, the rest named as not checked", () => {
    const env = { ...process.env, HOMELAB_PROVIDER_SCHEMA: join(root, ".test-out", "absent.json"), HOMELAB_CRDS_DIR: join(root, ".test-out", "absent") };
    const result = spawnSync(process.execPath, [join(root, "scripts", "run.cjs"), "scripts/import.ts", "--check"], { cwd: root, encoding: "utf8", env });
    expect(result.stdout).toMatch(/not checked: imports\/bpg-proxmox.schema.json against the real schema/);
    expect(result.stdout).toMatch(/not checked: the CRD modules/);
    expect(result.stdout).toContain("imports/: up to date");
    expect(result.status).toBe(0);
  });

  withReal("holds the real schema's types-only subset: the same types, flags and nesting, no descriptions", () => {
    const real = JSON.parse(readFileSync(realFile, "utf8")) as ProvidersSchema;
    expect(committed).toEqual(typesOnlySchema(real, version));
    const vm = real.provider_schemas[proxmoxSource].resource_schemas!.proxmox_virtual_environment_vm.block;
    expect(proxmox.resource_schemas!.proxmox_virtual_environment_vm.block.attributes!.network_device).toEqual({
      ...vm.attributes!.network_device,
      description: undefined,
      description_kind: undefined,
    });
  });

  it("keeps attributes named description and drops only the schema's own descriptions", () => {
    const vm = proxmox.resource_schemas!.proxmox_virtual_environment_vm.block;
    expect(vm.attributes!.description).toEqual({ type: "string", optional: true });
    expect(JSON.stringify(committed)).not.toMatch(/"description_kind"/);
  });

  it("covers exactly the types the stacks use, none of them deprecated in the pinned release", () => {
    expect(Object.keys(proxmox.resource_schemas!)).toEqual([...proxmoxTypes.resources]);
    expect(Object.keys(proxmox.data_source_schemas!)).toEqual([...proxmoxTypes.dataSources]);
    for (const schema of [...Object.values(proxmox.resource_schemas!), ...Object.values(proxmox.data_source_schemas!)])
      expect(schema.block.deprecated).toBeUndefined();
    expect(() => typesOnlySchema({ ...committed, provider_schemas: { [proxmoxSource]: { ...proxmox, resource_schemas: {} } } }, version)).toThrow(
      /has no resource proxmox_acl/,
    );
  });

  it("generates the bindings for the constraint cdktf.json declares, as `cdktf get` would", () => {
    const cdktf = JSON.parse(readFileSync(join(root, "cdktf.json"), "utf8"));
    expect(cdktf.terraformProviders).toEqual(["bpg/proxmox@= 0.111.1", "hashicorp/random@= 3.7.2", "hashicorp/tls@= 4.1.0"]);
    expect(cdktf.codeMakerOutput).toBe("imports");
    const provider = readFileSync(join(root, "imports/providers/proxmox/provider/index.ts"), "utf8");
    expect(provider).toContain("providerVersion: '0.111.1'");
    expect(provider).toContain("providerVersionConstraint: '= 0.111.1'");
    expect(committed.provider_versions).toEqual({ [proxmoxSource]: "0.111.1" });
  });
});

describe("the prebuilt providers' schemas, derived from the jsii assemblies of @cdktf/provider-random and @cdktf/provider-tls", () => {
  const schemaOf = (key: "random" | "tls") =>
    prebuiltSchema(
      root,
      prebuiltProviders.find((p) => p.key === key)!,
    );
  const random = schemaOf("random");
  const tls = schemaOf("tls");
  const resources = (schema: ProvidersSchema, key: "random" | "tls") => schema.provider_schemas[schemaProviders[key].source].resource_schemas!;

  it("has random_password's arguments with their types, and its exported attributes as computed", () => {
    const password = resources(random, "random").random_password.block.attributes!;
    // hashicorp/terraform-provider-random v3.7.2 docs/resources/password.md: length is the one required argument.
    expect(password.length).toEqual({ type: "number", required: true });
    expect(password.special).toEqual({ type: "bool", optional: true });
    expect(password.keepers).toEqual({ type: ["map", "string"], optional: true });
    expect(password.override_special).toEqual({ type: "string", optional: true });
    for (const exported of ["result", "bcrypt_hash", "id"]) expect(password[exported]).toEqual({ type: "string", computed: true });
    expect(Object.keys(password)).toHaveLength(15);
  });

  it("has the tls key and certificate the sealing key needs: arguments, the subject block, exported PEMs", () => {
    // hashicorp/terraform-provider-tls v4.1.0: internal/provider/resource_private_key.go, resource_self_signed_cert.go
    // (subject is a ListNestedBlock there; its at-most-one is a validator, which no schema shows).
    const { tls_private_key: key, tls_self_signed_cert: cert } = resources(tls, "tls");
    expect(key.block.attributes!.algorithm).toEqual({ type: "string", required: true });
    expect(key.block.attributes!.rsa_bits).toEqual({ type: "number", optional: true });
    expect(key.block.attributes!.private_key_pem).toEqual({ type: "string", computed: true });
    expect(cert.block.attributes!.private_key_pem).toEqual({ type: "string", required: true });
    expect(cert.block.attributes!.allowed_uses).toEqual({ type: ["list", "string"], required: true });
    expect(cert.block.attributes!.is_ca_certificate).toEqual({ type: "bool", optional: true });
    expect(cert.block.attributes!.ready_for_renewal).toEqual({ type: "bool", computed: true });
    expect(cert.block.attributes!.cert_pem).toEqual({ type: "string", computed: true });
    expect(cert.block.block_types!.subject).toMatchObject({ nesting_mode: "list", block: { attributes: { common_name: { type: "string", optional: true } } } });
  });

  it("is committed as npm run import writes it", () => {
    for (const key of ["random", "tls"] as const)
      expect(JSON.parse(readFileSync(join(root, "imports", schemaProviders[key].file), "utf8"))).toEqual(schemaOf(key));
  });

  it("is of the release the stacks require and cdktf.json pins", () => {
    expect(random.provider_versions).toEqual({ [schemaProviders.random.source]: "3.7.2" });
    expect(tls.provider_versions).toEqual({ [schemaProviders.tls.source]: "4.1.0" });
    for (const key of ["random", "tls"] as const) {
      const generatedFrom = Object.values((key === "random" ? random : tls).provider_versions!)[0];
      expect(prebuiltProviderVersions[key]).toBe(generatedFrom);
      expect(providerPin(root, schemaProviders[key].address).version).toBe(generatedFrom);
    }
  });
});
