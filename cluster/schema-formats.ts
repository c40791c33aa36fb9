// The formats the spec's fields share: names, addresses, versions, one-line text.
import { z } from "zod";

const dnsLabel = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
export const hostname = z.string().regex(dnsLabel, "must be a DNS label: lowercase letters, digits and '-', 1-63 characters, no leading or trailing '-'");
export const domain = z
  .string()
  .max(253)
  .regex(/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "must be a lowercase DNS domain such as lab.example.com");
/** Proxmox storage / mapping / pool identifiers. */
export const proxmoxId = z.string().regex(/^[a-zA-Z][a-zA-Z0-9_-]{0,63}$/, "must start with a letter and contain only letters, digits, '-' and '_'");
export const ipv4 = z.ipv4({ message: "must be an IPv4 address such as 10.10.10.50" });
export const cidr = z.cidrv4({ message: "must be an IPv4 CIDR such as 10.10.10.0/24" });
/** Full PCI address with domain, as Proxmox writes it: 0000:47:00.0 */
export const pciAddress = z.string().regex(/^[0-9a-f]{4}:[0-9a-f]{2}:[0-1][0-9a-f]\.[0-7]$/, "must be a full PCI address such as 0000:47:00.0 (lspci -D)");
/** A pinned version string: no 'latest', no ranges. */
export const version = z.string().regex(/^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.+-]+)?$/, "must be a pinned version such as 1.18.2 (no ranges, no 'latest')");
export const positiveInt = z.number().int().positive();
/** Free text a person writes (a GPU model, a purpose): one line, no template syntax of any tool we feed. */
export const prose = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^\P{Cc}*$/u, "must be one line of text without control characters")
    .refine((text) => !/[$%]\{|\{\{/.test(text), "must be plain text without ${, %{ or {{ (template syntax of Terraform and Helm)");

/** A PCI vendor:device pair as lspci -nn prints it. */
export const pciIdPair = (what: string, example: string) =>
  z.string().regex(/^[0-9a-f]{4}:[0-9a-f]{4}$/, `must be the ${what} vendor:device pair such as ${example}`);
export const timeOfDay = z.string().regex(/^([01]?\d|2[0-3]):[0-5]\d$/, "must be a time such as 02:00");
export const quantity = (example: string) => z.string().regex(/^\d+(\.\d+)?(m|Ki|Mi|Gi|Ti)?$/, `must be a Kubernetes quantity such as ${example}`);
/** An IANA time zone name such as Europe/Berlin. */
export const timeZone = z.string().regex(/^[A-Za-z_]+(\/[A-Za-z_+-]+)*$/, "must be an IANA time zone such as Europe/Berlin");
/** A VPN exit region: the label tying an app to its vpn-worker. */
export const vpnRegion = z.string().regex(/^[a-z0-9-]{1,32}$/);
/** How long a store keeps data: days, weeks or years. */
export const retention = (example: string) => z.string().regex(/^\d+[dwy]$/, `must be a duration such as ${example}`);
export const templateVmId = z.number().int().min(100).max(999_999_999);
/** An absolute path whose parts are names: no '.', '..' or empty part that could point elsewhere. */
export const normalizedPath = /^(\/(?!\.\.?(?:\/|$))[A-Za-z0-9._-]+)+$/;
/**
 * A cron schedule as VolSync's CRDs accept it (volsync@v0.16.0: api/v1alpha1/replicationsource_types.go#L45-L52,
 * the trigger.schedule pattern): five fields, each "*", "*\/N", "N", "N-M", "N/M" or "N,M,…", or a
 * descriptor such as @daily. Anchored here; the CRD's own pattern is looser.
 */
const cronField = String.raw`(\*(\/\d+)?|\d+[/-]\d+|(\d+,)*\d+)`;
export const cronSchedule = z
  .string()
  .regex(
    new RegExp(`^(@(annually|yearly|monthly|weekly|daily|hourly)|${cronField}( ${cronField}){4})$`),
    "must be a cron schedule such as '0 4 * * *' (minute hour day month weekday, UTC) or @daily",
  );

/**
 * A branch name git accepts (git-check-ref-format(1) with --branch: no part starting with '.' or
 * ending in '.lock', no '..', no empty part, no trailing '.', not starting with '-', not HEAD)
 * that shadows no other ref: `origin/main` would create refs/heads/origin/main, which git finds
 * before the remote-tracking refs/remotes/origin/main (gitrevisions(7)), and `refs/…` names
 * refs of its own. publish also refuses the names of the clone's own remotes (rendered-branch.ts).
 */
export function branchNameProblem(name: string): string | undefined {
  if (!/^[A-Za-z0-9._/-]+$/.test(name)) return "may hold only letters, digits, '.', '_', '-' and '/'";
  const parts = name.split("/");
  if (parts.some((part) => part === "")) return "must not start or end with '/' or hold '//'";
  if (parts.some((part) => part.startsWith("."))) return "no part may start with '.'";
  if (parts.some((part) => part.endsWith(".lock"))) return "no part may end in '.lock'";
  if (name.includes("..")) return "must not hold '..'";
  if (name.endsWith(".")) return "must not end with '.'";
  if (name.startsWith("-")) return "must not start with '-'";
  if (name === "HEAD" || parts[0] === "refs" || parts[0] === "origin") return "must not shadow HEAD, a ref (refs/…) or a remote-tracking branch (origin/…)";
  return undefined;
}
export const branchName = z.string().superRefine((name, context) => {
  const problem = branchNameProblem(name);
  if (problem) context.addIssue({ code: "custom", message: `${problem}: it must be a branch of its own that git accepts, such as rendered` });
});
