import { Module } from '@nestjs/common';
import { CloseOfBusinessController } from './close-of-business.controller.js';
import { CloseOfBusinessService } from './close-of-business.service.js';
import { DailyCloseOfBusinessScheduler } from './daily-close-of-business.scheduler.js';

@Module({
  controllers: [CloseOfBusinessController],
  providers: [CloseOfBusinessService, DailyCloseOfBusinessScheduler],
  exports: [CloseOfBusinessService],
})
export class CloseOfBusinessModule {}
