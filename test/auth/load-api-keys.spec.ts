import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashApiKeySecret } from '../../src/auth/api-key-secret.js';
import { loadApiKeys } from '../../src/auth/load-api-keys.js';
import { ROLES } from '../../src/auth/roles.js';
import { InvalidConfigurationError } from '../../src/config/app-config.js';

describe('loading API keys', () => {
  const folders: string[] = [];
  const folder = () => {
    const made = mkdtempSync(join(tmpdir(), 'arrears-keys-'));
    folders.push(made);
    return made;
  };
  // Key files hold hashes only, but a test leaves nothing behind in the machine's temp folder.
  afterAll(() => {
    for (const made of folders) rmSync(made, { recursive: true, force: true });
  });
  const embedded = (file: string) => ({ API_KEYS: '', API_KEYS_FILE: file, EVENT_STORE: 'sqlite' as const });

  it('on the embedded default, makes one development key per role on first start: secrets returned once, hashes in a private file', () => {
    const file = join(folder(), 'data', 'api-keys.json');
    const first = loadApiKeys(embedded(file));
    expect(first.generated.map((key) => key.role)).toEqual([...ROLES]);
    const content = readFileSync(file, 'utf8');
    for (const { secret, role, principal } of first.generated) {
      expect(content).not.toContain(secret);
      expect(content).toContain(hashApiKeySecret(secret));
      expect(first.registry.authenticate(secret)).toEqual({ name: principal, keyId: expect.any(String), roles: new Set([role]) });
    }
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const second = loadApiKeys(embedded(file));
    expect(second.generated).toEqual([]);
    expect(second.registry.authenticate(first.generated[0]!.secret)?.name).toBe('dev-servicer');
    expect(second.registry.authenticate('arr_guess')).toBeUndefined();
  });

  it('takes API_KEYS over the file, and names every problem in a bad list', () => {
    const keys = loadApiKeys({ ...embedded(join(folder(), 'never-made.json')), API_KEYS: JSON.stringify([{ principal: 'lms', roles: ['servicer', 'viewer'], sha256: hashApiKeySecret('s3cret') }]) });
    expect(keys.generated).toEqual([]);
    expect(keys.registry.authenticate('s3cret')).toMatchObject({ name: 'lms', roles: new Set(['servicer', 'viewer']) });

    const bad = JSON.stringify([{ principal: 'has space', roles: ['root'], sha256: 'abc' }, 'x']);
    const refused = () => loadApiKeys({ ...embedded('unused.json'), API_KEYS: bad });
    expect(refused).toThrow(InvalidConfigurationError);
    expect(refused).toThrow(/API_KEYS\[0\]\.principal[\s\S]*API_KEYS\[0\]\.roles[\s\S]*API_KEYS\[0\]\.sha256[\s\S]*API_KEYS\[1\]/);
    expect(() => loadApiKeys({ ...embedded('unused.json'), API_KEYS: '[{' })).toThrow(/API_KEYS is not JSON/);
  });

  it('makes no development keys outside the embedded default, and refuses a keys file it cannot use', () => {
    const missing = join(folder(), 'api-keys.json');
    expect(() => loadApiKeys({ ...embedded(missing), EVENT_STORE: 'eventstoredb' })).toThrow(/no such file, and API_KEYS is not set/);
    const broken = join(folder(), 'api-keys.json');
    writeFileSync(broken, '{"keys": [{"principal": "p", "roles": [], "sha256": "00"}]}');
    expect(() => loadApiKeys(embedded(broken))).toThrow(InvalidConfigurationError);
    expect(() => loadApiKeys(embedded(broken))).toThrow(/roles must be a non-empty list/);
  });
});
