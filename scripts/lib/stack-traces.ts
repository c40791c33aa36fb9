// cdktf and cdk8s capture a full stack trace for every token they create (and cdktf's generated
// bindings create dozens per resource), only to name where a token came from if it ever fails to
// resolve; cdktf even lifts Error.stackTraceLimit to do it. Capturing and formatting them costs
// more than a tenth of a synth, so this is one of the speed shortcuts (lib/plain-mode.ts).
// Without them, errors read "Name: message", which is all synth prints. HOMELAB_DEBUG=1 or
// HOMELAB_PLAIN=1 keeps full traces.
import { plainMode } from "../../lib/plain-mode";

/** Turns stack traces off (unless HOMELAB_DEBUG or HOMELAB_PLAIN is set); returns what turns them back on. */
export function stackTracesOff(): () => void {
  if (process.env.HOMELAB_DEBUG || plainMode()) return () => {};
  const before = { limit: Error.stackTraceLimit, capture: Error.captureStackTrace, prepare: Error.prepareStackTrace };
  Error.stackTraceLimit = 0;
  // What cdktf calls, with its raised limit, on a plain object: leave its `stack` as it was ("").
  // Node's own modules keep the original (they hold it from startup).
  Error.captureStackTrace = () => {};
  // Anything that still collects frames gets them formatted as nothing.
  Error.prepareStackTrace = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : "");
  return () => {
    Error.stackTraceLimit = before.limit;
    Error.captureStackTrace = before.capture;
    Error.prepareStackTrace = before.prepare;
  };
}
