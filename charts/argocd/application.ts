// An Argo CD Application with the sync policy every one of ours shares: automated sync
// with prune and self-heal, retries with backoff, and its wave among its siblings.
import type { Construct } from "constructs";
import { Application, type ApplicationSpecSources } from "../../imports/argocd-application-argoproj.io";
import { namespaces } from "../../cluster/contract";

export interface HomelabApplicationProps {
  readonly name: string;
  readonly project: string;
  readonly namespace: string;
  readonly sources: readonly ApplicationSpecSources[];
  readonly wave: number;
  readonly serverSideApply?: boolean;
  /** Delete the app's resources when the Application is deleted. @default false */
  readonly cascadeDelete?: boolean;
}

export const syncWaveAnnotation = "argocd.argoproj.io/sync-wave";

export function homelabApplication(scope: Construct, props: HomelabApplicationProps): Application {
  const syncOptions = ["PrunePropagationPolicy=foreground", "PruneLast=true", ...(props.serverSideApply ? ["ServerSideApply=true"] : [])];
  return new Application(scope, `application-${props.name}`, {
    metadata: {
      name: props.name,
      namespace: namespaces.argocd,
      annotations: { [syncWaveAnnotation]: String(props.wave) },
      ...(props.cascadeDelete ? { finalizers: ["resources-finalizer.argocd.argoproj.io"] } : {}),
    },
    spec: {
      project: props.project,
      destination: { server: "https://kubernetes.default.svc", namespace: props.namespace },
      sources: [...props.sources],
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions,
        retry: { limit: 10, backoff: { duration: "10s", factor: 2, maxDuration: "5m" } },
      },
    },
  });
}
