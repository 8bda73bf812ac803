import { RecordContactHandler } from './record-contact.command.js';
import { RecordRestrictionHandler } from './record-restriction.command.js';
import { RecordTimeZoneHandler } from './record-time-zone.command.js';
import { SettlePromisesHandler } from './settle-promises.command.js';

export const COLLECTION_COMMAND_HANDLERS = [RecordTimeZoneHandler, RecordContactHandler, RecordRestrictionHandler, SettlePromisesHandler];
