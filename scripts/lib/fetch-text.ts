// Downloads a text file; a failure names the URL and the cause (DNS, refused, timeout, HTTP status),
// never just undici's "fetch failed".
import { EnvironmentError, Refusal } from "./command-errors";

export async function fetchText(url: string, timeoutMs = 60_000): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new EnvironmentError(`${url}: ${networkCause(error, timeoutMs)}`);
  }
  if (!response.ok) throw new Refusal(`${url}: HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`);
  try {
    return await response.text();
  } catch (error) {
    throw new EnvironmentError(`${url}: the download broke off (${networkCause(error, timeoutMs)})`);
  }
}

/** undici wraps the system error (getaddrinfo ENOTFOUND host, connect ECONNREFUSED …) in `cause`. */
function networkCause(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.name === "TimeoutError") return `no answer within ${timeoutMs / 1000} s`;
  const cause = (error as { cause?: { message?: string; code?: string; errors?: { message?: string }[] } }).cause;
  return cause?.message || cause?.errors?.[0]?.message || cause?.code || (error instanceof Error ? error.message : String(error));
}
