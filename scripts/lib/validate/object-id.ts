// How every rule names a Kubernetes object (alone, so the secret scan loads nothing heavier).

/** Kind/namespace/name, or Kind/name for a cluster-scoped object; of a rendered object or a flat reference (chart facts). */
export function objectId(o: { kind: string; metadata?: { name: string; namespace?: string }; name?: string; namespace?: string }): string {
  const name = o.metadata?.name ?? o.name;
  const namespace = o.metadata ? o.metadata.namespace : o.namespace;
  return `${o.kind}/${namespace ? `${namespace}/` : ""}${name}`;
}
