// The constructs of this project and their props, for use in your own CDKTF or cdk8s app
// (import by path or through an npm workspace; the package itself is private).
export { HomelabApp, type AppPlacement, type AppProfileName, type AppResources, type AppVolumeBackup, type HomelabAppProps } from "../charts/apps/homelab-app";
export { HomelabChart, type HomelabChartProps } from "../charts/homelab-chart";
export { PlatformComponentChart } from "../charts/platform-chart";
export type { PlatformComponent } from "../charts/platform/component";
export { argocd, type ArgocdProps } from "../charts/platform/argocd";
export { certManager, type CertManagerProps } from "../charts/platform/cert-manager";
export { cilium, type CiliumProps } from "../charts/platform/cilium";
export { kured, metricsServer, type KuredProps, type VersionProps } from "../charts/platform/cluster-ops";
export { externalDns, type ExternalDnsProps } from "../charts/platform/external-dns";
export { gateway, type GatewayProps } from "../charts/platform/gateway";
export { gatewayApi } from "../charts/platform/gateway-api";
export { amdGpuPlugin, intelGpuPlugin, nvidiaDevicePlugin, type NvidiaDevicePluginProps } from "../charts/platform/gpu-plugins";
export { longhorn, type LonghornProps } from "../charts/platform/longhorn";
export { victoriaLogs, victoriaMetrics, type RetentionProps, type VictoriaMetricsProps } from "../charts/platform/observability";
export { systemUpgrade, type SystemUpgradeProps } from "../charts/platform/system-upgrade";
export { snapshotController, type SnapshotControllerProps } from "../charts/platform/snapshot-controller";
export { volsync, type VolsyncProps } from "../charts/platform/volsync";
export { backupRepositoryComponent } from "../charts/platform/backup-repository";
export { VolumeBackup, type VolumeBackupProps } from "../charts/apps/volume-backup";
export { K3sNodeVm, type K3sNodeVmProps } from "../infra/k3s-node-vm";
