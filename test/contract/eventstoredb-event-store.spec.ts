import { EventStoreDBClient } from '@eventstore/db-client';
import { asEsdbConnectionString } from '../../src/config/app-config.js';
import { EventStoreDbEventStore } from '../../src/infrastructure/eventstoredb/eventstoredb-event-store.js';
import { describeEventStoreContract } from './event-store.contract.js';

/**
 * The EventStore contract against a real EventStoreDB, wherever a connection string is given
 * (EVENTSTORE_CONNECTION_STRING=esdb://localhost:2113?tls=false): no Docker engine runs on the
 * development machines, so there the suite is skipped, and says so.
 */
const connectionString = process.env['EVENTSTORE_CONNECTION_STRING'];
if (connectionString) {
  describeEventStoreContract('EventStoreDB', async () => new EventStoreDbEventStore(EventStoreDBClient.connectionString(asEsdbConnectionString(connectionString))));
} else {
  console.log('EventStoreDB contract suite SKIPPED: set EVENTSTORE_CONNECTION_STRING (e.g. esdb://localhost:2113?tls=false) to run it');
  describe.skip('EventStore contract: EventStoreDB (EVENTSTORE_CONNECTION_STRING not set)', () => {
    it('runs against a server', () => undefined);
  });
}
