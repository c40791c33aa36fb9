// A schema-only Terraform provider: it serves one provider's schema from a schema file and
// accepts every configuration, so that the real `terraform validate` can check a stack against
// the real schema without the provider's binary or a registry. It does nothing else: no
// ConfigureProvider, no plan, no apply (those calls fail as unimplemented).
//
//   node scripts/run.cjs scripts/lib/terraform-validate/plugin.ts <schema.json> <provider source>
//
// It speaks hashicorp/go-plugin's protocol: started with TF_PLUGIN_MAGIC_COOKIE, it prints the
// handshake line `1|6|tcp|127.0.0.1:<port>|grpc` (core protocol 1, plugin protocol 6, plain gRPC
// without TLS). terraform-run.ts starts it and hands the address to Terraform in
// TF_REATTACH_PROVIDERS; Terraform could start it as well (dev_overrides, TF_DISABLE_PLUGIN_TLS=1).
// It exits on go-plugin's Shutdown, and with SCHEMA_PLUGIN_EXIT_WITH_STDIN=1 when its stdin closes
// (whoever started it is gone).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import type { ProvidersSchema } from "../provider-schema";
import { providerSchemaResponse } from "./schema-messages";
import { pluginMagicCookie } from "./terraform-run";

type Handler = grpc.handleUnaryCall<unknown, unknown>;
const answer =
  (response: unknown): Handler =>
  (_call, callback) =>
    callback(null, response);

function main(): void {
  const [schemaFile, source] = process.argv.slice(2);
  if (!schemaFile || !source) {
    process.stderr.write("usage: plugin.ts <schema.json> <provider source such as registry.terraform.io/bpg/proxmox>\n");
    process.exit(2);
  }
  if (process.env.TF_PLUGIN_MAGIC_COOKIE !== pluginMagicCookie) {
    process.stderr.write("This is a Terraform provider plugin: Terraform starts it (TF_PLUGIN_MAGIC_COOKIE is not set).\n");
    process.exit(2);
  }
  const schema = providerSchemaResponse(JSON.parse(readFileSync(schemaFile, "utf8")) as ProvidersSchema, source);
  const protos = grpc.loadPackageDefinition(
    protoLoader.loadSync(
      ["tfplugin6.proto", "health.proto", "controller.proto"].map((f) => join(protoDir(), f)),
      { keepCase: true, enums: String, longs: Number, defaults: true },
    ),
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
  if (process.env.SCHEMA_PLUGIN_EXIT_WITH_STDIN === "1") process.stdin.on("end", () => process.exit(0)).resume();
}

/** This folder in the source tree (run.cjs runs a bundle from .build/ beside it). */
function protoDir(): string {
  return existsSync(join(__dirname, "tfplugin6.proto")) ? __dirname : join(__dirname, "..", "scripts", "lib", "terraform-validate");
}

main();
