import { Module } from '@nestjs/common';
import { OverdueStatusModule } from '../overdue-status/overdue-status.module.js';
import { CollectionQueueController } from './collection-queue.controller.js';
import { CollectionQueueReader } from './collection-queue.reader.js';

@Module({ imports: [OverdueStatusModule], controllers: [CollectionQueueController], providers: [CollectionQueueReader] })
export class CollectionQueueModule {}
