/**
 * One provider's column: what its upstream needs (ids, error bodies, rate buckets, reset header: the
 * `UpstreamProfile` the client reads), how its endpoint and auth are built from its settings or for the
 * sandbox, and the `--toolsets` names that select it. Display names stay with the Provider vocabulary
 * (src/core/operation.ts), since errors are worded in core.
 */
import type { ProviderEndpoint } from "../upstream/client.js";
import type { UpstreamProfile } from "../upstream/profile.js";

export interface ProviderProfile<Settings> extends UpstreamProfile {
  /** The names `--toolsets` accepts for this provider; the first is the one the CLI documents. */
  toolsets: readonly [string, ...string[]];
  /** The endpoint for a configured tenant, or undefined when the settings hold no usable credentials. */
  endpoint(settings: Settings): ProviderEndpoint | undefined;
  /** The endpoint for the embedded sandbox at `url`, with the credentials it documents. */
  sandboxEndpoint(url: string): ProviderEndpoint;
}
