// Base chart of this project: one chart = one Argo CD application = one directory of
// dist/k8s. Object names are the names we give (no cdk8s hash suffixes).
import { Chart } from "cdk8s";
import type { Construct } from "constructs";

export interface HomelabChartProps {
  /** Directory under dist/k8s and name of the Argo CD application. */
  readonly appName: string;
  /** Default namespace of the chart's objects. @default none (cluster-scoped or explicit) */
  readonly namespace?: string;
}

export class HomelabChart extends Chart {
  readonly appName: string;

  constructor(scope: Construct, id: string, props: HomelabChartProps) {
    super(scope, id, { disableResourceNameHashes: true, namespace: props.namespace });
    this.appName = props.appName;
  }
}
