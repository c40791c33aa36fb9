// Images the app construct adds itself (sidecars), pinned like everything else.
export const appImages = {
  // renovate: datasource=docker depName=qmcgaw/gluetun
  gluetun: "docker.io/qmcgaw/gluetun:v3.40.0",
} as const;
