/**
 * Start-up failures a person can fix, each as one line naming the cause and the fix (no stack trace): a
 * port that is taken or needs privileges, an address this machine does not have or cannot resolve.
 * Anything else is a bug or an environment this file does not know, and keeps its stack.
 */

interface ListenError {
  code?: unknown;
  syscall?: unknown;
  address?: unknown;
  port?: unknown;
  hostname?: unknown;
}

/** The one line to print for `err`, or undefined when it is not a failure a person can act on. */
export function startupProblem(err: unknown): string | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  const { code, syscall, address, port, hostname } = err as ListenError;
  const where = typeof address === "string" ? address : undefined;
  if (syscall === "listen" && code === "EADDRINUSE") {
    return (
      `port ${port} on ${where ?? "this machine"} is already in use (another entitlement-mcp, npm start or ` +
      "sandbox?): stop that process, or pass a free port with --port (0 picks one; npm start -- --port 3001)."
    );
  }
  if (syscall === "listen" && code === "EACCES") {
    return `port ${port} needs privileges this user lacks: pass --port 1024 or above (e.g. --port 3000).`;
  }
  if (syscall === "listen" && code === "EADDRNOTAVAIL") {
    return (
      `--host ${where ?? ""} is not an address of this machine: use 127.0.0.1 (the default), 0.0.0.0 for ` +
      "every interface, or one of this machine's own addresses."
    );
  }
  if (syscall === "getaddrinfo" && (code === "ENOTFOUND" || code === "EAI_AGAIN")) {
    return `--host ${hostname ?? ""} cannot be resolved to an address: pass an IP address such as 127.0.0.1.`;
  }
  return undefined;
}
