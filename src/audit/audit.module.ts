import { Module } from '@nestjs/common';
import { EventLogReader } from './event-log.reader.js';
import { EventLogController } from './event-log.controller.js';
import { StreamEventsQueryHandler } from './stream-events.query.js';

@Module({ controllers: [EventLogController], providers: [EventLogReader, StreamEventsQueryHandler], exports: [EventLogReader] })
export class AuditModule {}
