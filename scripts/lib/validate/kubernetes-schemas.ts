// Validates rendered Kubernetes objects against upstream schemas:
// - built-in kinds against the Kubernetes 1.30 OpenAPI schemas (kubernetes-models);
// - custom resources against the openAPIV3Schema of their CRD file (ajv), with unknown
//   fields rejected where the CRD does not preserve them, as kubectl's strict field
//   validation does.
import Ajv, { type ValidateFunction } from "ajv";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";

export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly annotations?: Record<string, string>; readonly labels?: Record<string, string> };
  readonly [key: string]: unknown;
}

/**
 * Kinds we render whose CRD is not among the offline upstream CRD files, with why we render
 * them anyway. Everything else must validate; these are listed, never silently skipped.
 */
export const kindsWithoutOfflineSchema: Readonly<Record<string, string>> = {
  RecurringJob: "Longhorn's recurring snapshot job (longhorn.io/v1beta2); the Longhorn CRDs are not in the offline reference",
  CiliumNetworkPolicy: "lets the Gateway's proxy (identity `ingress`) reach app pods, which a Kubernetes NetworkPolicy cannot name; CRD not in the offline reference",
  Plan: "system-upgrade-controller's k3s upgrade plans (upgrade.cattle.io/v1); the controller registers its CRD itself, none is in the offline reference",
};

export type SchemaVerdict = { readonly status: "valid" } | { readonly status: "invalid"; readonly errors: readonly string[] } | { readonly status: "no-schema" };

interface CrdVersion {
  readonly schema: Record<string, unknown>;
  readonly scope: "Namespaced" | "Cluster";
}

export class KubernetesSchemas {
  private readonly crds = new Map<string, CrdVersion>();
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });

  /** crdDir: a folder of CustomResourceDefinition YAML files. */
  constructor(crdDir: string) {
    for (const file of readdirSync(crdDir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
      for (const doc of parseAllDocuments(readFileSync(join(crdDir, file), "utf8"))) {
        const crd = doc.toJS() as { kind?: string; spec?: any };
        if (crd?.kind !== "CustomResourceDefinition") continue;
        for (const version of crd.spec.versions ?? []) {
          const schema = version.schema?.openAPIV3Schema;
          if (schema) this.crds.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, { schema, scope: crd.spec.scope });
        }
      }
    }
  }

  /** The scope a CRD declares for a kind, if we have its CRD. */
  scopeOf(apiVersion: string, kind: string): "Namespaced" | "Cluster" | undefined {
    return this.crds.get(`${apiVersion}/${kind}`)?.scope;
  }

  validate(object: KubernetesObject): SchemaVerdict {
    const crd = this.crds.get(`${object.apiVersion}/${object.kind}`);
    if (crd) return this.validateCustom(object, crd);
    return validateBuiltin(object);
  }

  private validateCustom(object: KubernetesObject, crd: CrdVersion): SchemaVerdict {
    const key = `${object.apiVersion}/${object.kind}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(strict(structuredClone(crd.schema)));
      this.compiled.set(key, validate);
    }
    if (validate(object)) return { status: "valid" };
    return { status: "invalid", errors: (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}${e.keyword === "additionalProperties" ? ` '${(e.params as { additionalProperty: string }).additionalProperty}'` : ""}`) };
  }
}

/** Forbids unknown fields wherever the schema lists properties and does not preserve unknowns. */
function strict(schema: Record<string, any>): Record<string, any> {
  if (schema && typeof schema === "object") {
    if (schema.properties && schema.additionalProperties === undefined && !schema["x-kubernetes-preserve-unknown-fields"]) {
      schema.additionalProperties = false;
    }
    for (const value of Object.values(schema)) {
      if (value && typeof value === "object") strict(value as Record<string, any>);
    }
  }
  return schema;
}

function validateBuiltin(object: KubernetesObject): SchemaVerdict {
  const [group, version] = object.apiVersion.includes("/") ? object.apiVersion.split("/") : ["", object.apiVersion];
  let Model: (new (data: unknown) => { validate(): void }) | undefined;
  try {
    // kubernetes-models/<group>/<version>/<Kind>, core group at kubernetes-models/v1/<Kind>
    const module = require(`kubernetes-models/${group ? `${group}/` : ""}${version}/${object.kind}`) as Record<string, unknown>;
    Model = module[object.kind] as typeof Model;
  } catch {
    return { status: "no-schema" };
  }
  if (!Model) return { status: "no-schema" };
  try {
    new Model(object).validate();
    return { status: "valid" };
  } catch (error) {
    return { status: "invalid", errors: [(error as Error).message] };
  }
}
