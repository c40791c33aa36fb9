// An Argo CD Application with the sync policy every one of ours shares: automated sync with prune
// and self-heal, retries with backoff (how many: retry.ts, from its sources), and its wave among
// its siblings. No PruneLast: it makes pruning a wave after the last, so a sync that deletes
// anything would wait for the whole Application to be Healthy (rules/wave-gate.ts).
import type { Construct } from "constructs";
import { Application, type ApplicationSpecIgnoreDifferences, type ApplicationSpecSources } from "../../imports/argocd-application-argoproj.io";
import { namespaces } from "../../cluster/contract";
import { retryFor, type RenderedBranch } from "./retry";

export interface HomelabApplicationProps {
  readonly name: string;
  readonly project: string;
  readonly namespace: string;
  readonly sources: readonly ApplicationSpecSources[];
  /** The lab's rendered branch: an Application reading only its paths retries without limit. */
  readonly renderedBranch: RenderedBranch;
  readonly wave: number;
  readonly serverSideApply?: boolean;
  /** Delete the app's resources when the Application is deleted. @default false */
  readonly cascadeDelete?: boolean;
  /** Fields Argo CD neither diffs nor syncs (RespectIgnoreDifferences). @default none */
  readonly ignoreDifferences?: readonly ApplicationSpecIgnoreDifferences[];
}

export const syncWaveAnnotation = "argocd.argoproj.io/sync-wave";

export function homelabApplication(scope: Construct, props: HomelabApplicationProps): Application {
  const ignoring = props.ignoreDifferences?.length ? props.ignoreDifferences : undefined;
  const syncOptions = [
    "PrunePropagationPolicy=foreground",
    ...(props.serverSideApply ? ["ServerSideApply=true"] : []),
    ...(ignoring ? ["RespectIgnoreDifferences=true"] : []),
  ];
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
      ...(ignoring ? { ignoreDifferences: [...ignoring] } : {}),
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions,
        retry: retryFor(props.sources, props.renderedBranch),
      },
    },
  });
}
