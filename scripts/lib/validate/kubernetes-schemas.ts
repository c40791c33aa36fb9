// Validates rendered Kubernetes objects against upstream schemas:
// - built-in kinds against the Kubernetes 1.30 OpenAPI schemas (kubernetes-models);
// - custom resources against the openAPIV3Schema of their CRD, as committed in
//   imports/crd-schemas/ by `npm run import` (scripts/lib/crd-schemas.ts), with unknown fields
//   rejected where the CRD does not preserve them, as kubectl's strict field validation does.
import Ajv, { type ValidateFunction } from "ajv";
import { createRequire } from "node:module";
import { join } from "node:path";
import { readCrdSchema, type CrdSchema } from "../crd-schemas";

export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly annotations?: Record<string, string>;
    readonly labels?: Record<string, string>;
  };
  readonly [key: string]: unknown;
}

/**
 * Kinds we render whose CRD is not among the committed CRD schemas, with why we render them
 * anyway. Everything else must validate; these are listed, never silently skipped.
 */
export const kindsWithoutOfflineSchema: Readonly<Record<string, string>> = {
  CiliumNetworkPolicy:
    "lets the Gateway's proxy (identity `ingress`) reach app pods, which a Kubernetes NetworkPolicy cannot name; its CRD is not in the offline reference",
  Plan: "system-upgrade-controller's k3s upgrade plans (upgrade.cattle.io/v1); the controller registers its CRD itself, none is in the offline reference",
  VolumeSnapshotClass:
    "Longhorn's class for the CSI snapshots VolSync copies volumes through (snapshot.storage.k8s.io/v1); kubernetes-csi/external-snapshotter's CRD is not in the offline reference",
};

export type SchemaVerdict =
  { readonly status: "valid" } | { readonly status: "invalid"; readonly errors: readonly string[] } | { readonly status: "no-schema" };

// Shared by every instance: a schema file is read and compiled once per process. Compiled without
// ajv's code optimization passes: each schema validates a few objects once, and the passes cost
// more than they save (about an eighth of a check of the reference lab).
const loaded = new Map<string, CrdSchema | undefined>();
const compiled = new Map<string, ValidateFunction>();
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, code: { optimize: false } });

export class KubernetesSchemas {
  /** dir: a folder of schema files as `npm run import` writes them (imports/crd-schemas). */
  constructor(private readonly dir: string) {}

  private crd(apiVersion: string, kind: string): CrdSchema | undefined {
    const key = join(this.dir, `${apiVersion}/${kind}`);
    if (!loaded.has(key)) loaded.set(key, readCrdSchema(this.dir, apiVersion, kind));
    return loaded.get(key);
  }

  /** The scope a CRD declares for a kind, if we have its CRD. */
  scopeOf(apiVersion: string, kind: string): "Namespaced" | "Cluster" | undefined {
    return this.crd(apiVersion, kind)?.scope;
  }

  validate(object: KubernetesObject): SchemaVerdict {
    const crd = this.crd(object.apiVersion, object.kind);
    if (crd) return this.validateCustom(object, crd);
    return validateBuiltin(object);
  }

  private validateCustom(object: KubernetesObject, crd: CrdSchema): SchemaVerdict {
    const key = join(this.dir, `${object.apiVersion}/${object.kind}`);
    let validate = compiled.get(key);
    if (!validate) {
      validate = ajv.compile(strict(structuredClone(crd.openAPIV3Schema)));
      compiled.set(key, validate);
    }
    if (validate(object)) return { status: "valid" };
    return {
      status: "invalid",
      errors: (validate.errors ?? []).map(
        (e) =>
          `${e.instancePath || "/"} ${e.message}${e.keyword === "additionalProperties" ? ` '${(e.params as { additionalProperty: string }).additionalProperty}'` : ""}`,
      ),
    };
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

/** Node's require, for the one module path known only at run time (a kind's model). */
const loadPackage = createRequire(__filename);

function validateBuiltin(object: KubernetesObject): SchemaVerdict {
  const [group, version] = object.apiVersion.includes("/") ? object.apiVersion.split("/") : ["", object.apiVersion];
  let Model: (new (data: unknown) => { validate(): void }) | undefined;
  try {
    // kubernetes-models/<group>/<version>/<Kind>, core group at kubernetes-models/v1/<Kind>
    const module = loadPackage(`kubernetes-models/${group ? `${group}/` : ""}${version}/${object.kind}`) as Record<string, unknown>;
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
