// How an Application retries a failed sync: backing off from 10 s to one attempt every 5 minutes,
// each attempt with the latest revision of its sources, and — depending on what a retry re-reads
// — without limit or 10 times.
// - With refresh: an automated sync records the revision it started on and every retry re-read
//   it, while auto-sync skips the app as long as the operation runs (argo-cd@v3.4.4:
//   controller/appcontroller.go#L2194-L2197): a sync failing for a repeatable reason retried the
//   broken commit forever and never saw the fixing one. `refresh` drops the recorded revisions
//   before each retry (#L1485-L1489), so the next retry takes the newest commit. Argo CD v3.2.0
//   and later (argo-cd #23038; chart argo-cd 9.1.0 and later).
// - What refresh does not re-read: auto-sync records the Application's sources (repository,
//   path, chart and version, Helm values, an upstream tag), its sync options and this retry
//   policy in the operation (#L2224-L2244), and every retry rebuilds its result from the
//   operation's sources, not the spec's (#L1495; controller/sync.go#L137-L139, #L97-L110). A
//   spec that root has since fixed reaches the Application only through a new operation, which
//   auto-sync starts once this one has ended: it compares the spec's sources with the last
//   operation's (alreadyAttemptedSync, #L2334-L2366).
// So:
// - unlimitedRetry ("less than 0", docs/operator-manual/application.yaml#L254) where every source
//   is a path of the rendered branch: a commit reaches such an Application through the revision
//   alone (the root Application, the apps, our own manifests). Without limit because at first
//   boot a sync fails until what it needs is up, and an automated sync that has used up its
//   retries never tries the same commit again (docs/user-guide/auto_sync.md#L123-L124,
//   appcontroller.go#L2253-L2257).
// - boundedRetry where a source lives in the spec (a Helm chart and its values, an upstream tag):
//   10 retries, 30 minutes of attempts (10, 20, 40, 80, 160 s, then every 5 minutes:
//   pkg/apis/application/v1alpha1/types.go#L1535-L1563). A failure its spec causes (a chart
//   version or values an upgrade cannot apply) then ends, and the next reconciliation syncs the
//   spec root applied meanwhile; with -1 the operation, and its old spec, would never end. The
//   cost: a sync failing 30 minutes for a passing reason waits for the next commit that changes
//   its revision or spec (docs/boot-order.md, "When a sync is stuck").
import type { ApplicationSpecSources, ApplicationSpecSyncPolicyRetry } from "../../imports/argocd-application-argoproj.io";

const backoff = { duration: "10s", factor: 2, maxDuration: "5m" } as const;

export const unlimitedRetry = { limit: -1, refresh: true, backoff } as const;
export const boundedRetry = { limit: 10, refresh: true, backoff } as const;

/** Where the rendered manifests live: the lab's repository and rendered branch. */
export interface RenderedBranch {
  readonly repoUrl: string;
  readonly branch: string;
}

/** The fields of a plain path of a repository (repoURL as Argo CD spells it, repoUrl as the cdk8s import does). */
const pathSourceFields = new Set(["repoURL", "repoUrl", "targetRevision", "path"]);

/** Whether a commit reaches every source through its revision alone: each a plain path of the rendered branch. */
export function onlyRenderedPaths(sources: readonly object[], rendered: RenderedBranch): boolean {
  return sources.every((source) => {
    const s = source as Record<string, unknown>;
    return (
      (s.repoURL ?? s.repoUrl) === rendered.repoUrl &&
      s.targetRevision === rendered.branch &&
      typeof s.path === "string" &&
      Object.entries(s).every(([field, value]) => value === undefined || pathSourceFields.has(field))
    );
  });
}

/** The retry policy for an Application with these sources. */
export function retryFor(sources: readonly ApplicationSpecSources[], rendered: RenderedBranch): ApplicationSpecSyncPolicyRetry {
  const policy = onlyRenderedPaths(sources, rendered) ? unlimitedRetry : boundedRetry;
  return { ...policy, backoff: { ...policy.backoff } };
}
