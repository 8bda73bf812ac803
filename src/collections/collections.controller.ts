import { Body, Controller, Get, Inject, Param, Post, Query } from '@nestjs/common';
import { Roles } from '../auth/access.decorators.js';
import { CommandBus } from '@nestjs/cqrs';
import { ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CommandMeta, type RequestCommandMeta, commandContext } from '../http/command-context.decorator.js';
import { BUSINESS_CLOCK, type BusinessClock } from '../kernel/dates/business-clock.js';
import { RecordContactCommand } from './commands/record-contact.command.js';
import { RecordRestrictionCommand } from './commands/record-restriction.command.js';
import { RecordTimeZoneCommand } from './commands/record-time-zone.command.js';
import { ConductPolicies } from '../config/conduct-policy.provider.js';
import { ContactHistoryReader } from './contact-history.reader.js';
import { ContactPermissionService } from './contact-permission.service.js';
import { LoanDirectory } from './loan-directory.js';
import { BorrowerLoanZones } from './borrower-loan-zones.js';
import {
  ContactHistoryDto,
  ContactPermissionDto,
  ContactPermissionQueryDto,
  ContactRecordedDto,
  RecordContactDto,
  RecordRestrictionDto,
  RecordTimeZoneDto,
  TimeZoneRecordedDto,
  RestrictionRecordedDto,
} from './collection-dtos.js';
import { BorrowerIdParams } from '../http/borrower-id.params.js';

/**
 * Collection contacts and stop requests, one stream per borrower. A contact that happened
 * is always recorded (with the rules it broke); a dialer asks for permission first.
 */
@ApiTags('collections')
@ApiConflictResponse({ description: '{ code, message }' })
@Roles('collector')
@Controller('borrowers/:borrowerId')
export class CollectionsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly loans: LoanDirectory,
    private readonly policies: ConductPolicies,
    private readonly permissions: ContactPermissionService,
    private readonly history: ContactHistoryReader,
    @Inject(BUSINESS_CLOCK) private readonly clock: BusinessClock,
    private readonly zones: BorrowerLoanZones,
  ) {}

  /** Where the borrower lives from an instant on: contacts are judged in this zone as well as in their loans' zones. */
  @Post('time-zones')
  @ApiCreatedResponse({ type: TimeZoneRecordedDto })
  async recordTimeZone(@Param() { borrowerId }: BorrowerIdParams, @Body() body: RecordTimeZoneDto, @CommandMeta() meta: RequestCommandMeta): Promise<TimeZoneRecordedDto> {
    const zone = { timeZone: body.timeZone, from: body.from ?? this.clock.now().toISOString() };
    const { recorded } = await this.commands.execute(
      new RecordTimeZoneCommand(borrowerId, zone, commandContext(meta, `time-zone:${body.timeZone}:${zone.from}`), { borrowerId, ...body }),
    );
    return { timeZone: recorded.timeZone, from: recorded.from };
  }

  @Post('collection-contacts')
  @ApiCreatedResponse({ type: ContactRecordedDto })
  @ApiNotFoundResponse({ description: 'LOAN.NOT_FOUND' })
  async recordContact(@Param() { borrowerId }: BorrowerIdParams, @Body() body: RecordContactDto, @CommandMeta() meta: RequestCommandMeta): Promise<ContactRecordedDto> {
    const loan = await this.loans.forCollection(body.loanId);
    const contact = {
      borrowerId,
      contactId: body.contactId,
      loan,
      at: body.at,
      channel: body.channel,
      party: body.party,
      direction: body.direction,
      connected: body.connected,
      outcome: body.outcome,
      ...(body.address !== undefined && { address: body.address }),
      ...(body.personReached !== undefined && { personReached: body.personReached }),
      ...(body.purpose !== undefined && { purpose: body.purpose }),
      ...(body.repeatReason !== undefined && { repeatReason: body.repeatReason }),
      borrowerTimeZones: await this.zones.of(borrowerId),
      agentId: body.agentId,
      note: body.note ?? '',
      promise: body.promise && { amount: body.promise.amount, dueOn: body.promise.dueOn },
      policy: this.policies.forCurrency(loan.currency),
    };
    const { recorded } = await this.commands.execute(
      new RecordContactCommand(borrowerId, contact, commandContext(meta, `contact:${body.contactId}`), { borrowerId, ...body }),
    );
    return { contactId: recorded.contactId, violations: [...recorded.violations] };
  }

  /**
   * A stop request, honoured from when the borrower made it (requestedAt, default now):
   * contacts already recorded at or after that instant are found in violation of it.
   */
  @Post('contact-restrictions')
  @ApiCreatedResponse({ type: RestrictionRecordedDto })
  async recordRestriction(
    @Param() { borrowerId }: BorrowerIdParams,
    @Body() body: RecordRestrictionDto,
    @CommandMeta() meta: RequestCommandMeta,
  ): Promise<RestrictionRecordedDto> {
    const restriction = {
      restrictionId: body.restrictionId,
      restriction: body.restriction,
      channel: body.channel,
      requestedAt: body.requestedAt ?? this.clock.now().toISOString(),
      reason: body.reason ?? '',
    };
    // The client's request is the fingerprint: a retry without requestedAt is the same command, whatever the clock says by then.
    const { recorded, violationsFound } = await this.commands.execute(
      new RecordRestrictionCommand(borrowerId, restriction, commandContext(meta, `restriction:${body.restrictionId}`), { borrowerId, ...body }),
    );
    return {
      restrictionId: recorded.restrictionId,
      requestedAt: recorded.requestedAt,
      effectiveAt: recorded.requestedAt,
      violationsFound: violationsFound.map(({ contactId, loanId, at, rule, message }) => ({ contactId, loanId, at, rule, message })),
    };
  }

  @Get('collection-contacts')
  @Roles('collector', 'auditor')
  @ApiOkResponse({ type: ContactHistoryDto, description: "The borrower's contacts with every rule each is known to have broken, and the borrower's stop requests" })
  @ApiNotFoundResponse({ description: 'COLLECTIONS.NO_HISTORY' })
  contacts(@Param() { borrowerId }: BorrowerIdParams): Promise<ContactHistoryDto> {
    return this.history.history(borrowerId);
  }

  @Get('contact-permission')
  @ApiOkResponse({ type: ContactPermissionDto })
  @ApiNotFoundResponse({ description: 'LOAN.NOT_FOUND' })
  permission(@Param() { borrowerId }: BorrowerIdParams, @Query() query: ContactPermissionQueryDto): Promise<ContactPermissionDto> {
    return this.permissions.check(borrowerId, { ...query, at: query.at ?? this.clock.now().toISOString() });
  }
}
