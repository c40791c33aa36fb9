// The app's own container: its image, port, probes (HTTP when a path is given, else TCP),
// environment, mounts and resources.
import * as k8s from "cdk8s-plus-30/lib/imports/k8s";

export interface AppResources {
  /** @default "100m" */
  readonly cpu?: string;
  /** @default "256Mi" */
  readonly memory?: string;
  /** @default "2" */
  readonly cpuLimit?: string;
  /** @default "1Gi" */
  readonly memoryLimit?: string;
}

export interface AppContainerProps {
  readonly name: string;
  readonly image: string;
  readonly port: number;
  readonly probePath?: string;
  readonly env: Readonly<Record<string, string>>;
  readonly mounts: readonly k8s.VolumeMount[];
  readonly securityContext: k8s.SecurityContext;
  readonly resources?: AppResources;
  /** Extended resources on top of the limits, e.g. nvidia.com/gpu. */
  readonly extraLimits: Readonly<Record<string, k8s.Quantity>>;
}

const q = k8s.Quantity.fromString;

export function appContainer(props: AppContainerProps): k8s.Container {
  const port = k8s.IntOrString.fromNumber(props.port);
  const probe = props.probePath ? { httpGet: { path: props.probePath, port } } : { tcpSocket: { port } };
  const r = props.resources ?? {};
  return {
    name: props.name,
    image: props.image,
    imagePullPolicy: "IfNotPresent",
    ports: [{ name: "http", containerPort: props.port }],
    env: Object.entries(props.env).map(([name, value]) => ({ name, value })),
    securityContext: props.securityContext,
    volumeMounts: [...props.mounts],
    startupProbe: { ...probe, periodSeconds: 10, failureThreshold: 30 },
    livenessProbe: { ...probe, periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 3 },
    readinessProbe: { ...probe, periodSeconds: 10, timeoutSeconds: 5 },
    resources: {
      requests: { cpu: q(r.cpu ?? "100m"), memory: q(r.memory ?? "256Mi") },
      limits: { cpu: q(r.cpuLimit ?? "2"), memory: q(r.memoryLimit ?? "1Gi"), ...props.extraLimits },
    },
  };
}
