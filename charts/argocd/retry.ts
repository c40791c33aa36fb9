// How an Application retries a failed sync. At first boot a sync fails until what it needs is up
// (a CRD, a webhook, an image pull on a slow line), and an automated sync that has used up its
// retries never tries the same commit again (argo-cd@v3.1.5:docs/user-guide/auto_sync.md#L105-L106):
// the cluster would stop converging until the next commit. So: retry without limit ("less than
// 0", docs/operator-manual/application.yaml#L253), backing off to one attempt every 5 minutes.
export const retryPolicy = { limit: -1, backoff: { duration: "10s", factor: 2, maxDuration: "5m" } } as const;
