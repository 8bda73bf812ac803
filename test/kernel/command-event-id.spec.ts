import { v5 as uuidv5 } from 'uuid';
import { commandEventId } from '../../src/kernel/commands/command-event-id.js';

/** The namespace the ids were always derived in: stored events carry ids made with it. */
const EVENT_ID_NAMESPACE = '5b0c9d0e-3f9a-4b7e-9a55-4f1c2a7e0d11';

describe("a command's event ids", () => {
  it("are uuid's UUIDv5 of stream, command id and index, as the events already stored were given", () => {
    const streams = ['loan-L1', 'loan-L-0001', 'collection-B-1001', 'close-of-business', `loan-${'x'.repeat(64)}`];
    const commandIds = ['payment:PAY-1', 'L1', '0196f7a2-1c3e-7d41-9a55-4f1c2a7e0d11', 'a.b_c:d-e', 'x'.repeat(200), 'ÿ', '支付-1', 'x'.repeat(1100)];
    for (const stream of streams)
      for (const commandId of commandIds)
        for (const index of [0, 1, 9, 10, 123]) {
          expect(commandEventId(stream, commandId, index)).toBe(uuidv5(`${stream}/${commandId}/${index}`, EVENT_ID_NAMESPACE));
        }
  });

  it('differ between streams, commands and indexes', () => {
    const ids = new Set([
      commandEventId('loan-L1', 'payment:P1', 0),
      commandEventId('loan-L1', 'payment:P1', 1),
      commandEventId('loan-L2', 'payment:P1', 0),
      commandEventId('loan-L1', 'payment:P2', 0),
    ]);
    expect(ids.size).toBe(4);
  });

  it('after a long name, are right again for a short one (the buffer reused holds no bytes of the one before)', () => {
    commandEventId('loan-L1', 'y'.repeat(900), 0);
    expect(commandEventId('loan-L1', 'p', 0)).toBe(uuidv5('loan-L1/p/0', EVENT_ID_NAMESPACE));
  });
});
