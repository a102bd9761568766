/**
 * The providers, assembled: each one's profile (src/providers/<provider>.ts) with the part of the
 * configuration it reads. Adding a provider means its file, a line in COLUMNS and a key in ProviderSettings.
 * The sandbox serves every API on one loopback origin, with the fixed credentials it documents.
 */
import type { Provider } from "../core/operation.js";
import type { ProviderEndpoint } from "../upstream/client.js";
import { type AtomicworkConfig, atomicwork } from "./atomicwork.js";
import { type OktaConfig, okta } from "./okta.js";
import type { ProviderProfile } from "./profile.js";
import { type IiqConfig, sailpointIiq } from "./sailpoint-iiq.js";

export type { AtomicworkConfig } from "./atomicwork.js";
export type { OktaConfig } from "./okta.js";
export type { IiqAuth, IiqConfig } from "./sailpoint-iiq.js";

export type Endpoints = Partial<Record<Provider, ProviderEndpoint>>;

/** What each configured provider needs: the part of the configuration this layer reads. */
export interface ProviderSettings {
  okta?: OktaConfig;
  atomicwork?: AtomicworkConfig;
  iiq?: IiqConfig;
}

/** A profile bound to its part of the settings. */
interface Column {
  profile: ProviderProfile<never>;
  settingsIn(settings: ProviderSettings): boolean;
  endpointFor(settings: ProviderSettings): ProviderEndpoint | undefined;
}

function column<S>(
  profile: ProviderProfile<S>,
  settingsOf: (all: ProviderSettings) => S | undefined,
): Column {
  return {
    profile,
    settingsIn: (all) => settingsOf(all) !== undefined,
    endpointFor: (all) => {
      const settings = settingsOf(all);
      return settings === undefined ? undefined : profile.endpoint(settings);
    },
  };
}

/** Every provider, in the order toolsets are listed. */
const COLUMNS: readonly Column[] = [
  column(okta, (all) => all.okta),
  column(atomicwork, (all) => all.atomicwork),
  column(sailpointIiq, (all) => all.iiq),
];

export const PROVIDERS: readonly Provider[] = COLUMNS.map((c) => c.profile.name);

/** The `--toolsets` names the CLI documents, one per provider. */
export const TOOLSET_NAMES: readonly string[] = COLUMNS.map((c) => c.profile.toolsets[0]);

/** The provider a `--toolsets` name selects (lower-case), if any. */
export function providerOfToolset(name: string): Provider | undefined {
  return COLUMNS.find((c) => c.profile.toolsets.includes(name))?.profile.name;
}

/** The providers the settings configure, whether or not their credentials are complete. */
export function configuredProviders(settings: ProviderSettings): Provider[] {
  return COLUMNS.filter((c) => c.settingsIn(settings)).map((c) => c.profile.name);
}

/** Endpoints for the configured providers. */
export function configuredEndpoints(settings: ProviderSettings): Endpoints {
  const out: Endpoints = {};
  for (const c of COLUMNS) {
    const endpoint = c.endpointFor(settings);
    if (endpoint) out[c.profile.name] = endpoint;
  }
  return out;
}

/** Endpoints for the embedded sandbox at `url`: every provider, with the sandbox's own credentials. */
export function sandboxEndpoints(url: string): Endpoints {
  return Object.fromEntries(COLUMNS.map((c) => [c.profile.name, c.profile.sandboxEndpoint(url)]));
}
