// cdktf and cdk8s capture a full stack trace for every token they create, only to name where a
// token came from if it ever fails to resolve; cdktf even lifts Error.stackTraceLimit to do it.
// Formatting those traces was ~10% of a large synth. Without them, errors read "Name: message".
// HOMELAB_DEBUG=1 keeps full traces.

export function stackTracesOff(): void {
  if (process.env.HOMELAB_DEBUG) return;
  Error.stackTraceLimit = 0;
  // Also covers traces captured with a raised limit: V8 hands the frames to this formatter.
  Error.prepareStackTrace = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : "");
}
