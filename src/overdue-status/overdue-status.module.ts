import { Module } from '@nestjs/common';
import { OverdueStatusController } from './overdue-status.controller.js';
import { OverdueStatusReader } from './overdue-status.reader.js';

@Module({ controllers: [OverdueStatusController], providers: [OverdueStatusReader], exports: [OverdueStatusReader] })
export class OverdueStatusModule {}
