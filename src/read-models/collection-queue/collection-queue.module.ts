import { Module } from '@nestjs/common';
import { OverdueStatusModule } from '../overdue-status/overdue-status.module.js';
import { CollectionQueueController } from './collection-queue.controller.js';
import { CollectionQueueReader } from './collection-queue.reader.js';
import { CollectionQueuePageQueryHandler } from './collection-queue-page.query.js';

@Module({ imports: [OverdueStatusModule], controllers: [CollectionQueueController], providers: [CollectionQueueReader, CollectionQueuePageQueryHandler] })
export class CollectionQueueModule {}
