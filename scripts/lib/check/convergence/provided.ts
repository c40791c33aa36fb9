// What exists when: every object and CRD the units create, with the earliest unit that creates
// it. Objects a controller creates at run time (Certificates' Secrets, a chart's StorageClass,
// operator-registered CRDs) count from the unit that runs the controller; a SealedSecret's Secret
// from the later of the SealedSecret and the controller that decrypts it.
import type { CrdFact } from "../../../../charts/platform/upstream-facts";
import type { K8sObject, Unit } from "./model";

export interface Provision {
  readonly unit: Unit;
  /** Created by a running controller, not applied. */
  readonly runtime: boolean;
}

const objectKey = (kind: string, namespace: string | undefined, name: string) => `${kind}/${namespace ?? ""}/${name}`;
const crdKey = (group: string, kind: string) => `${group}/${kind}`;
const earlier = (a: Provision, b: Provision) => a.unit.stage < b.unit.stage || (a.unit.stage === b.unit.stage && a.unit.order < b.unit.order);

export class Provided {
  private readonly objects = new Map<string, Provision>();
  private readonly allObjects = new Map<string, Provision[]>();
  private readonly crds = new Map<string, { provision: Provision; versions: Set<string> }[]>();
  /** Per custom kind that a controller turns into Secrets: the earliest unit that runs it. */
  private readonly secretControllers = new Map<string, Unit>();

  constructor(units: readonly Unit[]) {
    for (const unit of units)
      for (const { facts } of unit.facts)
        for (const crd of facts.secretsFrom) {
          const known = this.secretControllers.get(crdKey(crd.group, crd.kind));
          if (!known || earlier({ unit, runtime: true }, { unit: known, runtime: true })) this.secretControllers.set(crdKey(crd.group, crd.kind), unit);
        }
    for (const unit of units) {
      const add = (kind: string, namespace: string | undefined, name: string, runtime = false) =>
        this.addObject(objectKey(kind, namespace, name), { unit, runtime });
      for (const o of unit.objects) {
        add(o.kind, o.metadata.namespace, o.metadata.name);
        if (o.kind === "CustomResourceDefinition") this.addCrd(crdOf(o), { unit, runtime: false });
        if (o.kind === "Certificate" && o.spec?.secretName) add("Secret", o.metadata.namespace, o.spec.secretName, true);
        const controller = this.secretController(o.apiVersion, o.kind);
        if (controller) {
          const later = earlier({ unit, runtime: true }, { unit: controller, runtime: true }) ? controller : unit;
          this.addObject(objectKey("Secret", o.metadata.namespace, o.metadata.name), { unit: later, runtime: true });
        }
      }
      for (const ns of unit.createsNamespaces ?? []) add("Namespace", undefined, ns);
      for (const crd of unit.crds) this.addCrd(crd, { unit, runtime: false });
      for (const { facts } of unit.facts) {
        for (const ns of facts.namespaces) add("Namespace", undefined, ns);
        for (const o of facts.objects) add(o.kind, o.namespace, o.name);
        for (const o of facts.runtimeObjects) add(o.kind, o.namespace, o.name, true);
        for (const crd of facts.crds) this.addCrd(crd, { unit, runtime: false });
        for (const crd of facts.runtimeCrds) this.addCrd(crd, { unit, runtime: true });
      }
    }
  }

  /** The earliest unit running a controller that turns objects of this kind into their Secret (SealedSecret), if any. */
  secretController(apiVersion: string, kind: string): Unit | undefined {
    return this.secretControllers.get(crdKey(apiVersion.includes("/") ? apiVersion.split("/")[0] : "", kind));
  }

  /** Whether some upstream source turns objects of this kind into Secrets. */
  get secretSourceKinds(): ReadonlySet<string> {
    return new Set(this.secretControllers.keys());
  }

  /** The earliest creator of an object. */
  object(kind: string, namespace: string | undefined, name: string): Provision | undefined {
    return this.objects.get(objectKey(kind, namespace, name));
  }

  /** Every creator of an object (the bootstrap and the Application that manages it afterwards). */
  objectProvisions(kind: string, namespace: string | undefined, name: string): readonly Provision[] {
    return this.allObjects.get(objectKey(kind, namespace, name)) ?? [];
  }

  /** The earliest creator of a CRD serving this version (any version if none given). */
  crd(group: string, kind: string, version?: string): Provision | undefined {
    const found = (this.crds.get(crdKey(group, kind)) ?? []).filter((c) => !version || c.versions.has(version)).map((c) => c.provision);
    return found.reduce<Provision | undefined>((best, p) => (!best || earlier(p, best) ? p : best), undefined);
  }

  /** Every creator of a CRD, for "created before X?" questions. */
  crdProvisions(group: string, kind: string, version: string): Provision[] {
    return (this.crds.get(crdKey(group, kind)) ?? []).filter((c) => c.versions.has(version)).map((c) => c.provision);
  }

  private addObject(key: string, provision: Provision): void {
    this.allObjects.set(key, [...(this.allObjects.get(key) ?? []), provision]);
    const known = this.objects.get(key);
    if (!known || earlier(provision, known)) this.objects.set(key, provision);
  }

  private addCrd(crd: CrdFact, provision: Provision): void {
    const key = crdKey(crd.group, crd.kind);
    this.crds.set(key, [...(this.crds.get(key) ?? []), { provision, versions: new Set(crd.versions) }]);
  }
}

function crdOf(o: K8sObject): CrdFact {
  return { group: o.spec?.group, kind: o.spec?.names?.kind, versions: (o.spec?.versions ?? []).map((v: any) => v.name) };
}
