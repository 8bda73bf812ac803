import { Module } from '@nestjs/common';
import { EventLogReader } from './event-log.reader.js';
import { EventLogController } from './event-log.controller.js';

@Module({ controllers: [EventLogController], providers: [EventLogReader], exports: [EventLogReader] })
export class AuditModule {}
