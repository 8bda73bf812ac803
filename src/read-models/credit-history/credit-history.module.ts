import { Module } from '@nestjs/common';
import { CreditHistoryController } from './credit-history.controller.js';
import { CreditHistoryService } from './credit-history.service.js';
import { CreditHistoryQueryHandler } from './credit-history.query.js';

@Module({ controllers: [CreditHistoryController], providers: [CreditHistoryService, CreditHistoryQueryHandler] })
export class CreditHistoryModule {}
