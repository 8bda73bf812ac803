import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { Roles } from '../auth/access.decorators.js';
import { ApiConflictResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CommandMeta, type RequestCommandMeta } from '../http/command-context.decorator.js';
import { CloseOfBusinessRequestDto, CloseOfBusinessResultDto } from './close-of-business.dto.js';
import { CloseOfBusinessService } from './close-of-business.service.js';

@ApiTags('close of business')
@Roles('admin')
@Controller('close-of-business')
export class CloseOfBusinessController {
  constructor(private readonly closeOfBusiness: CloseOfBusinessService) {}

  @Post()
  @HttpCode(200)
  @ApiOkResponse({ type: CloseOfBusinessResultDto, description: 'What the run appended; a date already closed appends nothing' })
  @ApiConflictResponse({ description: 'COB.DATE_BEFORE_LAST_CLOSE: the date is before the last closed business date' })
  run(@Body() { businessDate }: CloseOfBusinessRequestDto, @CommandMeta() meta: RequestCommandMeta): Promise<CloseOfBusinessResultDto> {
    return this.closeOfBusiness.run(businessDate, meta.actor);
  }
}
