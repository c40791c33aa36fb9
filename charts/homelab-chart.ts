// Base chart of this project: one chart = one Argo CD application = one directory of
// dist/k8s. Object names are the names we give (no cdk8s hash suffixes).
import { ApiObject, Chart } from "cdk8s";
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

  /**
   * The chart's objects as JSON, in construction order. cdk8s' Chart.toJson() re-resolves
   * dependencies and re-validates the whole app for every chart — quadratic in the number
   * of charts. Our charts declare no dependencies between constructs, so construction order
   * is their order; validate the app once with validateConstructs().
   */
  renderObjects(): any[] {
    return this.node
      .findAll()
      .filter((c): c is ApiObject => c instanceof ApiObject && Chart.of(c) === this)
      .map((o) => o.toJson());
  }
}

/** Runs every construct's validations once for the whole app; throws on the first failure. */
export function validateConstructs(scope: Construct): void {
  for (const construct of scope.node.findAll()) {
    if (construct.node.dependencies.length) throw new Error(`internal: ${construct.node.path} declares dependencies, which renderObjects() does not order`);
    const errors = construct.node.validate();
    if (errors.length) throw new Error(`internal: ${construct.node.path}: ${errors.join("; ")}`);
  }
}
