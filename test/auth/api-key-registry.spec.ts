import { ApiKeyRegistry } from '../../src/auth/api-key-registry.js';
import { generateApiKeySecret, hashApiKeySecret } from '../../src/auth/api-key-secret.js';

describe('the API key registry', () => {
  it('refuses a key left out of a replacement, though it was presented (and its principal remembered) before', () => {
    const kept = generateApiKeySecret();
    const revoked = generateApiKeySecret();
    const registry = new ApiKeyRegistry([
      { principal: 'kept', roles: ['viewer'], sha256: hashApiKeySecret(kept) },
      { principal: 'revoked', roles: ['servicer'], sha256: hashApiKeySecret(revoked) },
    ]);
    expect(registry.authenticate(revoked)?.name).toBe('revoked');
    expect(registry.authenticate(revoked)?.name).toBe('revoked');

    registry.replace([{ principal: 'kept', roles: ['viewer'], sha256: hashApiKeySecret(kept) }]);

    expect(registry.authenticate(revoked)).toBeUndefined();
    expect(registry.authenticate(kept)?.name).toBe('kept');
  });

  it('gives a key a replacement changed the roles of its new roles', () => {
    const secret = generateApiKeySecret();
    const registry = new ApiKeyRegistry([{ principal: 'ops', roles: ['viewer'], sha256: hashApiKeySecret(secret) }]);
    expect([...registry.authenticate(secret)!.roles]).toEqual(['viewer']);
    registry.replace([{ principal: 'ops', roles: ['admin'], sha256: hashApiKeySecret(secret) }]);
    expect([...registry.authenticate(secret)!.roles]).toEqual(['admin']);
  });

  it('knows no secret it was not given', () => {
    const registry = new ApiKeyRegistry([{ principal: 'ops', roles: ['viewer'], sha256: hashApiKeySecret(generateApiKeySecret()) }]);
    expect(registry.authenticate(generateApiKeySecret())).toBeUndefined();
  });
});
