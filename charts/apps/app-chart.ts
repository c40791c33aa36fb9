// One chart (one Argo CD application, one dist/k8s directory) per enabled app of the spec.
import type { Construct } from "constructs";
import type { AppSpec, Cluster } from "../../cluster/schema";
import { HomelabChart } from "../homelab-chart";
import { appProps } from "./app-props";
import { HomelabApp } from "./homelab-app";

export class AppChart extends HomelabChart {
  constructor(scope: Construct, cluster: Cluster, app: AppSpec) {
    super(scope, `app-${app.name}`, { appName: app.name, namespace: app.namespace });
    new HomelabApp(this, app.name, appProps(cluster, app));
  }
}
