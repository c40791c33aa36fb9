// The committed CRD schemas (imports/crd-schemas) hold what validation needs and no more, come
// from the releases the cluster installs, and `npm run fetch-crds` says which URL failed and why.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { crdSchemaSources, upstreamCrdFiles } from "../scripts/lib/crd-schemas";
import { fetchText } from "../scripts/lib/fetch-text";
import { root } from "./helpers/spec-fixture";

const dir = join(root, "imports", "crd-schemas");
const schemas = readdirSync(dir).map((file) => ({ file, json: JSON.parse(readFileSync(join(dir, file), "utf8")) }));

/** Every `description` that is a schema keyword, not a property name. */
function descriptions(schema: any, path = ""): string[] {
  if (!schema || typeof schema !== "object") return [];
  return Object.entries(schema).flatMap(([key, value]) => {
    if (key === "description") return [path];
    if (key === "properties") return Object.entries(value as object).flatMap(([name, sub]) => descriptions(sub, `${path}.${name}`));
    return descriptions(value, `${path}/${key}`);
  });
}

describe("imports/crd-schemas", () => {
  it("holds one file per kind and served version, named after them, with group, version, kind, scope and schema only", () => {
    expect(schemas.length).toBeGreaterThanOrEqual(15);
    for (const { file, json } of schemas) {
      expect(Object.keys(json).sort()).toEqual(["//", "group", "kind", "openAPIV3Schema", "scope", "version"]);
      expect(file).toBe(`${json.group}_${json.version}_${json.kind}.json`);
      expect(json.openAPIV3Schema.type).toBe("object");
    }
  });

  it("has no descriptions, but keeps fields that are called description (AppProject's spec.description)", () => {
    for (const { file, json } of schemas) expect({ file, descriptions: descriptions(json.openAPIV3Schema) }).toEqual({ file, descriptions: [] });
    const appProject = schemas.find((s) => s.json.kind === "AppProject")!.json;
    expect(appProject.openAPIV3Schema.properties.spec.properties.description).toMatchObject({ type: "string" });
  });

  it("comes from the releases the cluster installs: Gateway API v1.3.0 with the experimental TLSRoute, Longhorn 1.7.2", () => {
    const source = (kind: string, version: string) => schemas.find((s) => s.json.kind === kind && s.json.version === version)?.json["//"];
    expect(source("Gateway", "v1")).toContain("/kubernetes-sigs/gateway-api/v1.3.0/config/crd/standard/");
    expect(source("TLSRoute", "v1alpha2")).toContain("/kubernetes-sigs/gateway-api/v1.3.0/config/crd/experimental/");
    expect(source("RecurringJob", "v1beta2")).toContain("/longhorn/longhorn/v1.7.2/");
    const gatewayVersions = readFileSync(join(root, "charts", "platform", "versions.ts"), "utf8");
    expect(gatewayVersions).toMatch(/gatewayApi: \{[^}]*version: "v1\.3\.0"/);
    expect(gatewayVersions).toMatch(/longhorn: \{[^}]*version: "1\.7\.2"/);
  });

  it("validates VolSync's kinds against its 0.16.0 CRDs, each schema saying it is derived from them under AGPL-3.0", () => {
    for (const kind of ["ReplicationSource", "ReplicationDestination"]) {
      const header = schemas.find((s) => s.json.kind === kind && s.json.group === "volsync.backube")?.json["//"];
      expect(header).toContain("/backube/volsync/v0.16.0/config/crd/bases/");
      expect(header).toContain("derived from backube/volsync v0.16.0, licensed AGPL-3.0");
    }
    expect(readFileSync(join(root, "charts", "platform", "versions.ts"), "utf8")).toMatch(/volsync: \{[^}]*version: "0\.16\.0"/);
  });

  it("lists each upstream file once", () => {
    for (const list of [crdSchemaSources, upstreamCrdFiles]) expect(new Set(list.map((s) => s.file)).size).toBe(list.length);
  });
});

describe("fetch-crds downloads", () => {
  const listen = (server: Server) =>
    new Promise<string>((done) => server.listen(0, "127.0.0.1", () => done(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
  const server = createServer((request, response) => {
    if (request.url === "/crd.yaml") response.end("kind: CustomResourceDefinition\n");
    else response.writeHead(404, "Not Found").end();
  });
  let base = "";
  beforeAll(async () => (base = await listen(server)));
  afterAll(() => server.close());

  it("return the text, and name the URL and the HTTP status of a missing file", async () => {
    await expect(fetchText(`${base}/crd.yaml`)).resolves.toBe("kind: CustomResourceDefinition\n");
    await expect(fetchText(`${base}/gone.yaml`)).rejects.toThrow(`${base}/gone.yaml: HTTP 404 Not Found`);
  });

  it("name the URL and the network cause when nothing answers", async () => {
    const closed = createServer();
    const url = `${await listen(closed)}/crd.yaml`;
    await new Promise((done) => closed.close(done));
    await expect(fetchText(url)).rejects.toThrow(new RegExp(`^${url.replace(/[.:/]/g, "\\$&")}: connect ECONNREFUSED`));
  });
});
