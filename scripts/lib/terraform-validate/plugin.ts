// A schema-only Terraform provider: it serves one provider's schema from a schema file and
// accepts every configuration, so that the real `terraform validate` can check a stack against
// the real schema without the provider's binary or a registry. It does nothing else: no
// ConfigureProvider, no plan, no apply (those calls fail as unimplemented).
//
//   node scripts/run.cjs scripts/lib/terraform-validate/plugin.ts <schema.json> <provider source>
//
// Terraform starts it (dev_overrides, see terraform-run.ts) as it starts any plugin (hashicorp/
// go-plugin): it sets TF_PLUGIN_MAGIC_COOKIE and, with TF_DISABLE_PLUGIN_TLS=1, expects plain
// gRPC on the address of the handshake line `1|6|tcp|127.0.0.1:<port>|grpc` on stdout (core
// protocol 1, plugin protocol 6).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import type { ProvidersSchema } from "../provider-schema";
import { providerSchemaResponse } from "./schema-messages";

/** The value go-plugin hosts set for Terraform providers (hashicorp/terraform internal/plugin6/serve.go). */
const magicCookie = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

type Handler = grpc.handleUnaryCall<unknown, unknown>;
const answer = (response: unknown): Handler => (_call, callback) => callback(null, response);

function main(): void {
  const [schemaFile, source] = process.argv.slice(2);
  if (!schemaFile || !source) {
    process.stderr.write("usage: plugin.ts <schema.json> <provider source such as registry.terraform.io/bpg/proxmox>\n");
    process.exit(2);
  }
  if (process.env.TF_PLUGIN_MAGIC_COOKIE !== magicCookie) {
    process.stderr.write("This is a Terraform provider plugin: Terraform starts it (TF_PLUGIN_MAGIC_COOKIE is not set).\n");
    process.exit(2);
  }
  const schema = providerSchemaResponse(JSON.parse(readFileSync(schemaFile, "utf8")) as ProvidersSchema, source);
  const protos = grpc.loadPackageDefinition(
    protoLoader.loadSync(["tfplugin6.proto", "health.proto", "controller.proto"].map((f) => join(protoDir(), f)), { keepCase: true, enums: String, longs: Number, defaults: true }),
  ) as any;
  const server = new grpc.Server();
  const noDiagnostics = answer({ diagnostics: [] });
  server.addService(protos.tfplugin6.Provider.service, {
    GetProviderSchema: answer(schema),
    ValidateProviderConfig: noDiagnostics,
    ValidateResourceConfig: noDiagnostics,
    ValidateDataResourceConfig: noDiagnostics,
    StopProvider: answer({ Error: "" }),
  });
  server.addService(protos.grpc.health.v1.Health.service, { Check: answer({ status: "SERVING" }) });
  server.addService(protos.plugin.GRPCController.service, {
    Shutdown: ((_call, callback) => {
      callback(null, {});
      setImmediate(() => server.tryShutdown(() => process.exit(0)));
    }) as Handler,
  });
  server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, port) => {
    if (error) {
      process.stderr.write(`schema-only provider: cannot listen on 127.0.0.1: ${error.message}\n`);
      process.exit(74);
    }
    process.stdout.write(`1|6|tcp|127.0.0.1:${port}|grpc\n`);
  });
}

/** This folder in the source tree (run.cjs runs a bundle from .build/ beside it). */
function protoDir(): string {
  return existsSync(join(__dirname, "tfplugin6.proto")) ? __dirname : join(__dirname, "..", "scripts", "lib", "terraform-validate");
}

main();
