import { Module } from '@nestjs/common';
import { CreditHistoryController } from './credit-history.controller.js';
import { CreditHistoryService } from './credit-history.service.js';

@Module({ controllers: [CreditHistoryController], providers: [CreditHistoryService] })
export class CreditHistoryModule {}
