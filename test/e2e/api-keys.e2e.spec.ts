import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { originationRequest } from '../fixtures/loan-requests.js';
import { EngineProcess } from '../support/engine-process.js';
import { waitFor } from '../support/wait-for.js';

const CLI = resolve('dist/src/cli.js');

/** The engine as `npm start` runs it, with no keys configured: it makes its own on first start. */
describe('API keys of the embedded default (engine process and CLI)', () => {
  let folder: string;
  let env: Record<string, string>;
  const engines: EngineProcess[] = [];
  const start = async () => {
    const started = await EngineProcess.start(env);
    engines.push(started.engine);
    return started;
  };
  const cli = (...args: string[]) => {
    const { NODE_OPTIONS: _jestOnly, ...inherited } = process.env;
    return spawnSync(process.execPath, [CLI, ...args], { env: { ...inherited, ...env }, encoding: 'utf8', timeout: 60_000 });
  };
  const status = async (url: string, path: string, secret: string, init: RequestInit = {}) =>
    (await fetch(`${url}${path}`, { ...init, headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' } })).status;

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'arrears-keys-e2e-'));
    env = {
      API_KEYS: '',
      API_KEYS_FILE: join(folder, 'data', 'api-keys.json'),
      SQLITE_EVENTS_PATH: join(folder, 'data', 'events.sqlite'),
      SQLITE_READ_MODELS_PATH: join(folder, 'data', 'read-models.sqlite'),
    };
  });
  afterEach(async () => {
    await Promise.all(engines.splice(0).map((engine) => engine.stop()));
    rmSync(folder, { recursive: true, force: true });
  });

  it('prints a development key per role once, on the first start only, and never logs them', async () => {
    const { engine, url } = await start();
    const secrets = Object.fromEntries([...engine.stderr.matchAll(/^\s+(\w+)\s+Authorization: Bearer (\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
    expect(Object.keys(secrets).sort()).toEqual(['admin', 'auditor', 'collector', 'servicer', 'viewer']);
    expect(await status(url, '/projections', secrets['viewer']!)).toBe(200);
    expect(await status(url, '/loans', secrets['viewer']!, { method: 'POST', body: JSON.stringify(originationRequest('L-1')) })).toBe(403);
    expect(await status(url, '/loans', secrets['servicer']!, { method: 'POST', body: JSON.stringify(originationRequest('L-1')) })).toBe(201);
    for (const secret of Object.values(secrets)) expect(JSON.stringify(engine.logs)).not.toContain(secret);
    await engine.stop();

    const again = await start();
    expect(again.engine.stderr).not.toContain('Bearer');
    expect(await status(again.url, '/projections', secrets['viewer']!)).toBe(200);
  });

  it('arrears keys adds a key a running engine accepts within seconds, lists it without its secret, and revokes it', async () => {
    const { url } = await start();
    const added = cli('keys', 'add', '--principal', 'loan-origination', '--role', 'servicer', '--role', 'viewer');
    expect(added.status).toBe(0);
    const { secret, keyId, roles } = JSON.parse(added.stdout) as { secret: string; keyId: string; roles: string[] };
    expect(roles).toEqual(['servicer', 'viewer']);
    await waitFor(async () => (await status(url, '/projections', secret)) === 200, 'the new key to be accepted', 10_000);

    const listed = cli('keys', 'list');
    expect(listed.stdout).toContain(`"principal":"loan-origination","roles":["servicer","viewer"],"keyId":"${keyId}"`);
    expect(listed.stdout).not.toContain(secret);

    expect(cli('keys', 'revoke', '--key-id', keyId).status).toBe(0);
    await waitFor(async () => (await status(url, '/projections', secret)) === 401, 'the revoked key to be refused', 10_000);
    expect(cli('keys', 'revoke', '--key-id', keyId).status).toBe(3);
    expect(cli('keys', 'add', '--principal', 'x', '--role', 'root').status).toBe(2);
  });
});
