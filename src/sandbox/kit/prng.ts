/**
 * A small deterministic PRNG (mulberry32), so ids, error ids and request ids are the same on
 * every run of the same scenario.
 */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** `n` characters of base62. */
  chars(n: number): string {
    let out = "";
    for (let i = 0; i < n; i++) out += BASE62[Math.floor(this.next() * 62)];
    return out;
  }
}

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** 32-bit FNV-1a of a string: a stable seed derived from a name. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A stable Okta-style id: 3-character prefix + 17 base62 characters derived from `key`. */
export function stableId(prefix: string, key: string): string {
  return prefix + new Prng(fnv1a(`${prefix}:${key}`)).chars(20 - prefix.length);
}
