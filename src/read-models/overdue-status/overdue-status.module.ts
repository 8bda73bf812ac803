import { Module } from '@nestjs/common';
import { OverdueStatusController } from './overdue-status.controller.js';
import { OverdueStatusReader } from './overdue-status.reader.js';
import { OverdueStatusAsOfReader } from './overdue-status-as-of.reader.js';

@Module({ controllers: [OverdueStatusController], providers: [OverdueStatusReader, OverdueStatusAsOfReader], exports: [OverdueStatusReader] })
export class OverdueStatusModule {}
