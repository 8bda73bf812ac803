import type { ApiKeyEntry } from './api-key-entry.js';
import { hashApiKeySecret } from './api-key-secret.js';
import type { Role } from './roles.js';

/** Who a request comes from, once its key is known. */
export interface Principal {
  readonly name: string;
  /** Names the key (its hash's first hex digits) without revealing it: one principal may hold several keys. */
  readonly keyId: string;
  readonly roles: ReadonlySet<Role>;
}

/** The keys the engine accepts, looked up by the hash of the secret a request presents. */
export class ApiKeyRegistry {
  private current: readonly ApiKeyEntry[] = [];
  private byHash: ReadonlyMap<string, Principal> = new Map();
  /**
   * The principal of each secret already presented, so that a key's every request does not
   * hash it again (a SHA-256 was ~1% of a read's CPU). Only secrets of configured keys are
   * kept, so it holds no more entries than there are keys; `replace` empties it, so a key
   * left out is refused from the next request on, as before.
   */
  private bySecret = new Map<string, Principal>();

  constructor(entries: readonly ApiKeyEntry[]) {
    this.replace(entries);
  }

  get entries(): readonly ApiKeyEntry[] {
    return this.current;
  }

  /** Takes a new set of keys at once: a key left out is refused from the next request on. */
  replace(entries: readonly ApiKeyEntry[]): void {
    this.current = entries;
    this.byHash = new Map(entries.map((entry) => [entry.sha256, { name: entry.principal, keyId: keyIdOf(entry), roles: new Set(entry.roles) }]));
    this.bySecret = new Map();
  }

  /** The principal of a presented secret, or undefined for a key nobody configured. */
  authenticate(secret: string): Principal | undefined {
    const known = this.bySecret.get(secret);
    if (known) return known;
    const principal = this.byHash.get(hashApiKeySecret(secret));
    if (principal) this.bySecret.set(secret, principal);
    return principal;
  }
}

export const keyIdOf = (entry: Pick<ApiKeyEntry, 'sha256'>) => entry.sha256.slice(0, 16);
