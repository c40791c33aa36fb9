// Entry point for the cdk8s CLI (`cdk8s synth`, via cdk8s.yaml). It writes the same
// manifests, in the same layout, as `npm run synth` into the CLI's output directory.
import { resolve } from "node:path";
import { loadCluster } from "../cluster/load";
import { synthManifests } from "../charts/k8s-app";
import { OutputWriter } from "./lib/output-writer";

const root = resolve(__dirname, "..");
const outdir = resolve(process.env.CDK8S_OUTDIR ?? "dist/k8s");
synthManifests(loadCluster(process.env.HOMELAB_CLUSTER ?? resolve(root, "cluster/homelab.yaml")), outdir, new OutputWriter());
