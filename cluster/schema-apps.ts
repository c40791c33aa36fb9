// An app of the spec: its image, port, host, placement, volumes, environment and secrets.
import { z } from "zod";
import { hostname, ipv4, quantity, vpnRegion } from "./schema-formats";

const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, "must be an environment variable name such as TZ");

export const App = z.strictObject({
  name: hostname,
  namespace: hostname,
  /** registry/name:tag, pinned (never :latest); a digest may follow. */
  image: z
    .string()
    .regex(
      /^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)+:(?!latest$)[A-Za-z0-9._-]+(@sha256:[0-9a-f]{64})?$/,
      "must be registry/name:tag with a pinned tag (not :latest), e.g. lscr.io/linuxserver/sonarr:4.0.15",
    ),
  /** How the image wants to run; inferred from the registry when omitted (lscr.io/linuxserver → linuxserver). */
  profile: z.enum(["linuxserver", "generic"]).optional(),
  port: z.number().int().min(1).max(65535),
  /** Host name under the domain; defaults to <name>. */
  host: hostname.optional(),
  /** HTTP path for liveness/readiness probes; TCP probes when omitted. */
  probePath: z
    .string()
    .regex(/^\/[A-Za-z0-9._~/?=&-]*$/, "must be an absolute URL path such as /ping")
    .optional(),
  gpu: z.boolean().default(false),
  vpn: z.boolean().default(false),
  /** Run on the VPN worker of this region (vpnRegion of a vpn-worker); any VPN worker when omitted. */
  vpnRegion: vpnRegion.optional(),
  /** Size of the Longhorn volume mounted at /config. */
  configGiB: z.number().int().min(1).max(1024).default(5),
  /** Shared directories (their guestPath) mounted into the app at the same path. */
  mounts: z.array(z.string()).default([]),
  resources: z
    .strictObject({
      cpu: quantity("250m").default("100m"),
      memory: quantity("512Mi").default("256Mi"),
      cpuLimit: quantity("2").default("2"),
      memoryLimit: quantity("2Gi").default("1Gi"),
    })
    .prefault({}),
  /** A LoadBalancer Service on this pool address for direct (non-HTTP) clients, e.g. Plex on 32400. */
  loadBalancerIp: ipv4.optional(),
  /** Apps (same namespace) allowed to connect to this one besides the Gateway. */
  peers: z.array(hostname).default([]),
  /** Plain, non-secret environment variables. */
  env: z
    .record(
      envName,
      z
        .string()
        .max(4096)
        .regex(/^(?:\P{Cc}|[\t\n])*$/u, "must not contain control characters (tabs and newlines are fine)"),
    )
    .default({}),
  /**
   * Names of the secret environment variables the app needs (names only). Their values are sealed
   * with `npm run seal -- <app> <NAME>` into cluster/sealed/<app>.yaml and reach the app as the
   * Secret <app>-secrets (docs/secrets.md).
   */
  secretEnv: z.array(envName).default([]),
  enabled: z.boolean().default(true),
});
