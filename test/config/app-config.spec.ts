import { EventStoreDBClient } from '@eventstore/db-client';
import { InvalidConfigurationError, loadConfig, parseTrustProxy } from '../../src/config/app-config.js';

describe('loadConfig', () => {
  it('runs on the embedded defaults when nothing is set', () => {
    expect(loadConfig({})).toMatchObject({
      PORT: 3000,
      EVENT_STORE: 'sqlite',
      SQLITE_EVENTS_PATH: './data/events.sqlite',
      SQLITE_SYNCHRONOUS: 'FULL',
      READ_STORE: 'sqlite',
      PROJECTIONS_ENABLED: true,
    });
  });

  it('converts numbers and booleans from the environment', () => {
    expect(loadConfig({ PORT: '8080', PROJECTION_BATCH_SIZE: '50', PROJECTIONS_ENABLED: 'false' })).toMatchObject({
      PORT: 8080,
      PROJECTION_BATCH_SIZE: 50,
      PROJECTIONS_ENABLED: false,
    });
  });

  it('names every invalid setting and the value it was given', () => {
    const error = (() => {
      try {
        loadConfig({ PORT: 'eighty', EVENT_STORE: 'mongodb', PROJECTIONS_ENABLED: 'yes', SHUTDOWN_TIMEOUT_MS: '5' });
      } catch (e) {
        return e;
      }
    })() as InvalidConfigurationError;
    expect(error).toBeInstanceOf(InvalidConfigurationError);
    expect(error.problems.map((p) => p.split('=')[0])).toEqual(['PORT', 'EVENT_STORE', 'SHUTDOWN_TIMEOUT_MS', 'PROJECTIONS_ENABLED']);
    expect(error.message).toContain('PORT="eighty": ');
    expect(error.message).toContain('EVENT_STORE must be one of the following values: sqlite');
  });

  it('bounds slow connections by default: 10 s for a request to arrive, 72 s idle between requests, 2 min on a quiet socket; no proxy trusted', () => {
    expect(loadConfig({})).toMatchObject({
      REQUEST_TIMEOUT_MS: 10_000,
      KEEP_ALIVE_TIMEOUT_MS: 72_000,
      SOCKET_IDLE_TIMEOUT_MS: 120_000,
      TRUST_PROXY: 'false',
    });
  });

  it('takes EVENT_STORE=postgres with a postgres:// EVENT_STORE_URL and a schema of its own (arrears_events by default)', () => {
    expect(loadConfig({ EVENT_STORE: 'postgres', EVENT_STORE_URL: 'postgres://arrears@db:5432/arrears' })).toMatchObject({
      EVENT_STORE: 'postgres',
      EVENT_STORE_URL: 'postgres://arrears@db:5432/arrears',
      EVENT_STORE_SCHEMA: 'arrears_events',
    });
    expect(() => loadConfig({ EVENT_STORE: 'postgres' })).toThrow(/EVENT_STORE_URL=null: EVENT_STORE_URL must be a postgres:\/\/ URL when EVENT_STORE=postgres/);
    expect(() => loadConfig({ EVENT_STORE: 'postgres', EVENT_STORE_URL: 'mysql://db/arrears' })).toThrow(/EVENT_STORE_URL="mysql:\/\/db\/arrears"/);
    expect(() => loadConfig({ EVENT_STORE_SCHEMA: 'Events; DROP' })).toThrow(/EVENT_STORE_SCHEMA must be a lower-case SQL identifier/);
  });

  it('reads TRUST_PROXY as Fastify takes it: true or false, a hop count, or addresses and CIDR ranges', () => {
    expect(parseTrustProxy('true')).toBe(true);
    expect(parseTrustProxy('false')).toBe(false);
    expect(parseTrustProxy('2')).toBe(2);
    expect(parseTrustProxy('10.0.0.1')).toEqual(['10.0.0.1']);
    expect(parseTrustProxy('10.0.0.0/8, 192.168.1.0/24,::1,fd00::/8,loopback')).toEqual(['10.0.0.0/8', '192.168.1.0/24', '::1', 'fd00::/8', 'loopback']);
    for (const wrong of ['yes', '10.0.0.0/33', '::1/129', '10.0.0', 'proxy.internal', '10.0.0.1,', '1/2/3']) {
      expect({ wrong, parsed: parseTrustProxy(wrong) }).toEqual({ wrong, parsed: undefined });
    }
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8' }).TRUST_PROXY).toBe('10.0.0.0/8');
    expect(() => loadConfig({ TRUST_PROXY: 'yes' })).toThrow(/TRUST_PROXY="yes": TRUST_PROXY must be true, false, a hop count/);
    expect(() => loadConfig({ REQUEST_TIMEOUT_MS: '100' })).toThrow(/REQUEST_TIMEOUT_MS="100"/);
  });

  it("takes KurrentDB's kurrentdb:// and kurrentdb+discover:// beside esdb://, handing the client the esdb scheme it parses", async () => {
    const read = (url: string) => loadConfig({ EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: url }).EVENTSTORE_CONNECTION_STRING;
    expect(read('esdb://eventstoredb:2113?tls=false')).toBe('esdb://eventstoredb:2113?tls=false');
    expect(read('esdb+discover://cluster.internal:2113')).toBe('esdb+discover://cluster.internal:2113');
    expect(read('kurrentdb://kurrentdb:2113?tls=false')).toBe('esdb://kurrentdb:2113?tls=false');
    expect(read('kurrentdb://n1:2113,n2:2113,n3:2113?tls=false&nodePreference=leader')).toBe('esdb://n1:2113,n2:2113,n3:2113?tls=false&nodePreference=leader');
    expect(read('kurrentdb+discover://cluster.internal:2113?tls=false')).toBe('esdb+discover://cluster.internal:2113?tls=false');
    // @eventstore/db-client 6 refuses the kurrentdb scheme itself, and parses what the
    // configuration hands it (it connects only when first used).
    expect(() => EventStoreDBClient.connectionString('kurrentdb://x:2113?tls=false')).toThrow(/esdb:\/\/ or esdb\+discover:\/\//);
    for (const url of ['kurrentdb://kurrentdb:2113?tls=false', 'kurrentdb+discover://cluster.internal:2113?tls=false', 'kurrentdb://n1:2113,n2:2113,n3:2113?tls=false&nodePreference=leader']) {
      const client = EventStoreDBClient.connectionString(read(url));
      await client.dispose();
    }
    for (const wrong of ['http://kurrentdb:2113', 'kurrent://kurrentdb:2113', 'kurrentdb:kurrentdb:2113', 'kurrentdb://']) {
      expect(() => loadConfig({ EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: wrong })).toThrow(
        /EVENTSTORE_CONNECTION_STRING=".*": EVENTSTORE_CONNECTION_STRING must be an esdb:\/\/, esdb\+discover:\/\/, kurrentdb:\/\/ or kurrentdb\+discover:\/\/ URL/,
      );
    }
  });
});
