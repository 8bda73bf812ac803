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
  }

  /** The principal of a presented secret, or undefined for a key nobody configured. */
  authenticate(secret: string): Principal | undefined {
    return this.byHash.get(hashApiKeySecret(secret));
  }
}

export const keyIdOf = (entry: Pick<ApiKeyEntry, 'sha256'>) => entry.sha256.slice(0, 16);
