/**
 * The IdentityIQ instance's state, in memory, per sandbox: applications, entitlements and users as SCIM
 * resources. Resources carry absolute URLs, so they are built on the first request, once the sandbox's
 * URL is known; the scale catalog too (not at start-up).
 */

import type { Json } from "../kit/json.js";
import {
  IIQ_APPLICATIONS,
  IIQ_BASE_PATH,
  IIQ_ENTITLEMENTS,
  IIQ_SCALE_APPLICATION,
  IIQ_SCHEMA_ENTITLEMENT,
  IIQ_SCHEMA_USER,
  IIQ_SCHEMA_USER_EXT,
  IIQ_USERS,
  type IiqApplication,
  type IiqEntitlementSeed,
  iiqId,
  iiqScaleEntitlement,
  SEED_003_ENTITLEMENT,
} from "./data.js";

export interface IiqStoreConfig {
  baseUrl: () => string;
  seed: "demo" | "empty";
  scale: number;
}

/** IdentityIQ writes millis and the server's zone offset; the sandbox's zone is UTC. */
function iiqTime(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "+00:00");
}

const CREATED = Date.parse("2025-03-03T09:00:00.000Z");

export class IiqStore {
  readonly entitlements = new Map<string, Json>();
  readonly users = new Map<string, Json>();
  readonly apps = new Map<string, IiqApplication>();
  private loaded = false;
  private scaleBuilt: boolean;

  constructor(private readonly cfg: IiqStoreConfig) {
    this.scaleBuilt = cfg.scale <= 0;
  }

  /** The SCIM base URL, e.g. `http://127.0.0.1:8787/identityiq/scim/v2`. */
  base(): string {
    return `${this.cfg.baseUrl()}${IIQ_BASE_PATH}`;
  }

  /** A resource's `meta`: created, location, type and version. */
  meta(resourceType: string, id: string, at = CREATED): Json {
    return {
      created: iiqTime(at),
      lastModified: iiqTime(at),
      location: `${this.base()}/${resourceType}s/${id}`,
      resourceType,
      version: `W/"${at}"`,
    };
  }

  /** Builds every resource on the first request, and the scale catalog on the first one after that. */
  load(): void {
    if (!this.loaded) {
      this.loaded = true;
      this.loadDemo();
    }
    if (!this.scaleBuilt) {
      this.scaleBuilt = true;
      for (let i = 1; i <= this.cfg.scale; i += 1)
        this.addEntitlement(iiqScaleEntitlement(i), IIQ_SCALE_APPLICATION);
    }
  }

  private loadDemo(): void {
    const demo = this.cfg.seed === "demo";
    for (const app of [...IIQ_APPLICATIONS, ...(this.cfg.scale > 0 ? [IIQ_SCALE_APPLICATION] : [])])
      this.apps.set(app.id, app);
    if (demo) {
      this.entitlements.set(
        SEED_003_ENTITLEMENT.id,
        structuredClone(SEED_003_ENTITLEMENT) as unknown as Json,
      );
      for (const seed of IIQ_ENTITLEMENTS) {
        const app = IIQ_APPLICATIONS.find((a) => a.name === seed.application);
        if (app) this.addEntitlement(seed, app);
      }
    }
    const base = this.base();
    for (const u of IIQ_USERS) {
      const held = demo ? u.entitlements : [];
      this.users.set(u.id, {
        id: u.id,
        schemas: [IIQ_SCHEMA_USER, IIQ_SCHEMA_USER_EXT],
        userName: u.userName,
        displayName: `${u.givenName} ${u.familyName}`,
        name: {
          givenName: u.givenName,
          familyName: u.familyName,
          formatted: `${u.givenName} ${u.familyName}`,
        },
        emails: [{ value: `${u.userName}@acme.example`, type: "work", primary: true }],
        active: u.active,
        meta: this.meta("User", u.id),
        [`${IIQ_SCHEMA_USER_EXT}:entitlements`]: held.flatMap((name) => {
          const seed = IIQ_ENTITLEMENTS.find((e) => e.displayableName === name);
          if (!seed) return [];
          return [
            {
              value: seed.id,
              display: seed.displayableName,
              type: seed.type,
              application: seed.application,
              accountName: u.userName,
              $ref: `${base}/Entitlements/${seed.id}`,
            },
          ];
        }),
      });
    }
  }

  private addEntitlement(seed: IiqEntitlementSeed, app: IiqApplication): void {
    const base = this.base();
    const owner = seed.owner ? iiqId(`user:${seed.owner}`) : undefined;
    this.entitlements.set(seed.id, {
      id: seed.id,
      schemas: [IIQ_SCHEMA_ENTITLEMENT],
      displayableName: seed.displayableName,
      type: seed.type,
      attribute: seed.attribute,
      value: seed.value,
      application: [{ value: app.id, $ref: `${base}/Applications/${app.id}`, displayName: app.name }],
      owner: owner ? [{ value: owner, $ref: `${base}/Users/${owner}`, displayName: seed.owner }] : [],
      descriptions: [{ locale: "en_US", value: seed.description }],
      requestable: seed.requestable,
      aggregated: true,
      lastRefresh: iiqTime(CREATED),
      meta: this.meta("Entitlement", seed.id),
    });
  }
}
