// The cloud image of a cloud-image template is one dated build with its checksum: Renovate finds
// the build in the spec (renovate.json), and pin-image re-pins the checksum from the build's
// SHA256SUMS after a bump.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseCluster } from "../cluster/load";
import { pinImageChecksum } from "../scripts/lib/cloud-image-checksum";
import { fixturesDir, referenceSpec, root } from "./helpers/spec-fixture";

const spec = readFileSync(join(fixturesDir, "valid", "single-node.yaml"), "utf8");
const sums = (hex: string) => `${"1".repeat(64)} *ubuntu-24.04-server-cloudimg-arm64.img\n${hex} *ubuntu-24.04-server-cloudimg-amd64.img\n`;

describe("the pinned cloud image", () => {
  it("is found by Renovate's manager: the release series and the build's date", () => {
    const manager = JSON.parse(readFileSync(join(root, "renovate.json"), "utf8")).customManagers.find(
      (m: any) => m.datasourceTemplate === "custom.ubuntu-cloud-images",
    );
    expect(manager.managerFilePatterns).toEqual(["/^cluster/.+\\.ya?ml$/"]);
    const found = [...spec.matchAll(new RegExp(manager.matchStrings[0], "g"))].map((m) => m.groups);
    expect(found).toEqual([{ depName: "noble", currentValue: "20250101" }]);
  });

  it("gets the checksum the build's SHA256SUMS lists, and only that value changes in the spec", async () => {
    const asked: string[] = [];
    const result = await pinImageChecksum(spec, async (url) => (asked.push(url), sums("c".repeat(64))));
    expect(asked).toEqual(["https://cloud-images.ubuntu.com/releases/noble/release-20250101/SHA256SUMS"]);
    expect(result.status).toBe("pinned");
    if (result.status !== "pinned") return;
    expect(result.text).toBe(spec.replace("0".repeat(64), "c".repeat(64)));
    expect(parseCluster(result.text, "pinned.yaml").template).toMatchObject({ image: { checksum: { algorithm: "sha256", value: "c".repeat(64) } } });
    expect((await pinImageChecksum(result.text, async () => sums("c".repeat(64)))).status).toBe("unchanged");
  });

  it("fails when the list has no such file, and leaves a spec without a cloud image alone", async () => {
    await expect(pinImageChecksum(spec, async () => `${"1".repeat(64)} *other.img\n`)).rejects.toThrow(
      "lists no checksum for ubuntu-24.04-server-cloudimg-amd64.img",
    );
    expect(await pinImageChecksum(readFileSync(referenceSpec, "utf8"), async () => "")).toEqual({ status: "no-image" });
  });
});
