// How an Application retries a failed sync: without limit, backing off to one attempt every
// 5 minutes, and each attempt with the latest revision of its sources.
// - Without limit: at first boot a sync fails until what it needs is up (a CRD, a webhook, an
//   image pull on a slow line), and an automated sync that has used up its retries never tries
//   the same commit again (argo-cd@v3.4.4: docs/user-guide/auto_sync.md#L123-L124): the cluster
//   would stop converging until the next commit. "Less than 0" is unlimited
//   (docs/operator-manual/application.yaml#L254).
// - With refresh: an automated sync records the revision it started on and every retry re-read
//   it, while auto-sync skips the app as long as the operation runs (controller/appcontroller.go
//   #L2194-L2197): a sync failing for a repeatable reason retried the broken commit forever and
//   never saw the fixing one. `refresh` drops the recorded revisions before each retry
//   (appcontroller.go#L1483-L1489), so the next retry takes the newest commit of the rendered
//   branch. Argo CD v3.2.0 and later (argo-cd #23038; chart argo-cd 9.1.0 and later).
// What refresh does not re-read: the operation keeps the sources (chart version, Helm values) it
// started with (controller/sync.go#L97-L110); docs/boot-order.md, "When a sync is stuck".
export const retryPolicy = { limit: -1, refresh: true, backoff: { duration: "10s", factor: 2, maxDuration: "5m" } } as const;
