import { hashApiKeySecret } from '../../src/auth/api-key-secret.js';
import { ROLES, type Role } from '../../src/auth/roles.js';

/** A key per role, and one holding every role, known to the tests by their secrets. */
export const TEST_KEYS: Record<Role | 'everything', string> = {
  servicer: 'test-key-servicer',
  collector: 'test-key-collector',
  auditor: 'test-key-auditor',
  viewer: 'test-key-viewer',
  admin: 'test-key-admin',
  everything: 'test-key-everything',
};

/** The principal each test key stands for, as recorded on events. */
export const testPrincipalOf = (key: keyof typeof TEST_KEYS) => `test-${key}`;

/** The test keys as the API_KEYS setting holds them: hashes, never secrets. */
export const TEST_API_KEYS = JSON.stringify(
  (Object.keys(TEST_KEYS) as (keyof typeof TEST_KEYS)[]).map((key) => ({
    principal: testPrincipalOf(key),
    roles: key === 'everything' ? [...ROLES] : [key],
    sha256: hashApiKeySecret(TEST_KEYS[key]),
  })),
);

export const bearer = (key: keyof typeof TEST_KEYS = 'everything') => ({ authorization: `Bearer ${TEST_KEYS[key]}` });
