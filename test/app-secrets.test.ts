// App secrets, the one supported way: the spec names them (apps[].secretEnv), `npm run seal`
// seals their values beside the spec (test/sealing.test.ts), synth renders the app's SealedSecret,
// and the Deployment takes the Secret with envFrom.
import { readFileSync } from "node:fs";
import { parseCluster } from "../cluster/load";
import { SpecError } from "../cluster/problems";
import type { Cluster } from "../cluster/schema";
import { renderApplications } from "../charts/k8s-app";
import { overlayReference, referenceSpec } from "./helpers/spec-fixture";

const reference = parseCluster(readFileSync(referenceSpec, "utf8"), "homelab.yaml");
const withSecrets = parseCluster(
  overlayReference({ "apps.1.secretEnv": ["SONARR__AUTH__APIKEY"], "apps.4.secretEnv": ["SABNZBD_API_KEY", "SABNZBD_NZB_KEY"] }),
  "secrets.yaml",
);

describe("the spec refuses literal secrets and names the supported way", () => {
  it("never echoes the value it refuses", () => {
    let error: unknown;
    try {
      parseCluster(overlayReference({ "apps.1.env": { PASSWORD: "hunter2" } }), "leak.yaml");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpecError);
    expect((error as Error).message).toMatch(
      /^leak\.yaml:\d+: apps\[1\]\.env\.PASSWORD: holds a literal password.*Fix: .*apps\[1\]\.secretEnv.*npm run seal -- sonarr PASSWORD/,
    );
    expect((error as Error).message).not.toContain("hunter2");
  });

  it("accepts plain values that only look a little like secrets", () => {
    const env = {
      PUID: "1000",
      TOKEN_TTL: "1h",
      SECRET_NAME: "sonarr-config",
      API_KEY_FILE: "/run/secrets/api-key",
      CHECKSUM_SHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
      GIT_COMMIT: "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12",
      REPO: "ssh://git@github.com/alex/lab.git",
    };
    expect(parseCluster(overlayReference({ "apps.1.env": env }), "look-alikes.yaml").apps[1].env).toEqual(env);
  });
});

describe("an app's secretEnv", () => {
  const objects = (c: Cluster, app: string) => renderApplications(c).get(app)!;

  it("reaches the app's container through envFrom, and nothing else changes in its Deployment", () => {
    const deployment = (c: Cluster) => objects(c, "sonarr").find((o) => o.kind === "Deployment");
    const withEnv = deployment(withSecrets);
    const container = withEnv.spec.template.spec.containers[0];
    expect(container.envFrom).toEqual([{ secretRef: { name: "sonarr-secrets" } }]);
    const plain = deployment(reference);
    expect(plain.spec.template.spec.containers[0].envFrom).toBeUndefined();
    delete container.envFrom;
    expect(withEnv).toEqual(plain);
  });

  it("is one SealedSecret <app>-secrets in the app's own directory, named for its namespace (nothing sealed here: no keys)", () => {
    expect(objects(withSecrets, "sabnzbd").filter((o) => o.kind === "SealedSecret" && o.metadata.name.endsWith("-secrets"))).toEqual([
      expect.objectContaining({
        metadata: expect.objectContaining({ name: "sabnzbd-secrets", namespace: "media" }),
        spec: { encryptedData: {}, template: { metadata: { name: "sabnzbd-secrets", namespace: "media" }, type: "Opaque" } },
      }),
    ]);
  });

  it("adds nothing to an app that declares no secrets", () => {
    // (Each app's volume has a SealedSecret of its own: its restic repository, <app>-config-restic.)
    for (const app of reference.apps)
      expect(objects(reference, app.name).filter((o) => o.kind === "SealedSecret" && o.metadata.name === `${app.name}-secrets`)).toEqual([]);
  });
});
