// SABnzbd answers only Host headers it knows: localhost, IP literals, *.local, or the entries of
// [misc] host_whitelist in /config/sabnzbd.ini (sabnzbd/sabnzbd@4.5.3:sabnzbd/interface.py#L227-L259,
// sabnzbd/cfg.py#L525); a fresh config lists only the pod's own hostname (cfg.py#L806-L808), so
// the route's name gets "Hostname verification failed". The linuxserver image has no setting for
// it, so an init container with the app's own image (Alpine's sh and awk) adds the host before
// SABnzbd starts, keeping the rest of the file; the image's own init then hands /config to the
// app user (linuxserver/docker-sabnzbd@4.5.3-ls234:root/etc/s6-overlay/s6-rc.d/init-sabnzbd-config/run).
import * as k8s from "cdk8s-plus-30/lib/imports/k8s";

/** The script; $1 is the host, SABNZBD_INI the file (default /config/sabnzbd.ini). */
const hostWhitelistScript = `set -eu
ini=\${SABNZBD_INI:-/config/sabnzbd.ini}
host=$1
if [ ! -f "$ini" ]; then
  printf '[misc]\\nhost_whitelist = %s,\\n' "$host" > "$ini"
  exit 0
fi
awk -v host="$host" '
  function addkey() { print "host_whitelist = " host ","; done = 1 }
  /^\\[/ {
    if (misc && !done) addkey()
    misc = ($0 == "[misc]")
    print
    next
  }
  misc && /^host_whitelist[ \\t]*=/ {
    value = $0
    sub(/^host_whitelist[ \\t]*=[ \\t]*/, "", value)
    n = split(value, items, /[ \\t]*,[ \\t]*/)
    for (i = 1; i <= n; i++) if (tolower(items[i]) == host) found = 1
    sub(/[ \\t]*,?[ \\t]*$/, "", value)
    if (!found) $0 = "host_whitelist = " (value == "" ? "" : value ", ") host ","
    done = 1
  }
  { print }
  END {
    if (!done && !misc) print "[misc]"
    if (!done) addkey()
  }
' "$ini" > "$ini.new"
mv "$ini.new" "$ini"
`;

export function hostWhitelistInit(image: string, host: string, securityContext: k8s.SecurityContext): k8s.Container {
  return {
    name: "host-whitelist",
    image,
    imagePullPolicy: "IfNotPresent",
    command: ["sh", "-c", hostWhitelistScript, "host-whitelist"],
    args: [host],
    securityContext,
    volumeMounts: [{ name: "config", mountPath: "/config" }],
    resources: {
      requests: { cpu: k8s.Quantity.fromString("10m"), memory: k8s.Quantity.fromString("16Mi") },
      limits: { cpu: k8s.Quantity.fromString("100m"), memory: k8s.Quantity.fromString("64Mi") },
    },
  };
}
