import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsObject, IsOptional, IsString, MaxLength, ValidateNested, Length } from 'class-validator';
import { IsAmount, IsBusinessDate, IsClientId, IsInstant, IsOmittable } from '../http/validators/domain-validators.js';
import { IsTimeZone } from '../http/validators/domain-validators.js';
import {
  REPEAT_REASONS,
  THIRD_PARTY_PURPOSES,
  type RepeatReason,
  type ThirdPartyPurpose,
  CONTACT_CHANNELS,
  CONTACT_DIRECTIONS,
  CONTACT_OUTCOMES,
  CONTACT_PARTIES,
  type ContactChannel,
  type ContactDirection,
  type ContactOutcome,
  type ContactParty,
} from './domain/contact-vocabulary.js';

export const MAX_NOTE_LENGTH = 2000;

export class PromiseToPayDto {
  @ApiProperty({ description: "Amount promised, in the loan's currency", example: '1100.16' }) @IsAmount() amount!: string;
  @ApiProperty({ description: 'Business date the borrower promised to pay by: not before the contact', format: 'date', example: '2026-03-10' }) @IsBusinessDate() dueOn!: string;
}

export class RecordContactDto {
  @ApiProperty({ example: 'CT-0001', description: 'Names this contact; one per id' }) @IsClientId() contactId!: string;
  @ApiProperty({ example: 'L-0001', description: 'The loan the contact was about' }) @IsClientId() loanId!: string;
  @ApiProperty({ example: '2026-03-02T10:00:00+08:00', description: 'When the contact happened; later than now is refused with 409 BUSINESS_DATE.IN_FUTURE' })
  @IsInstant()
  at!: string;
  @ApiProperty({ description: 'How the borrower was contacted', enum: CONTACT_CHANNELS }) @IsIn(CONTACT_CHANNELS) channel!: ContactChannel;
  @ApiProperty({ description: 'Who was contacted', enum: CONTACT_PARTIES }) @IsIn(CONTACT_PARTIES) party!: ContactParty;
  @ApiProperty({ description: 'Whether the lender or the other party initiated it', enum: CONTACT_DIRECTIONS }) @IsIn(CONTACT_DIRECTIONS) direction!: ContactDirection;
  @ApiProperty({ description: 'Whether anyone was reached' }) @IsBoolean() connected!: boolean;
  @ApiProperty({ description: 'What came of it; promise-to-pay needs `promise`', enum: CONTACT_OUTCOMES, example: 'promise-to-pay' }) @IsIn(CONTACT_OUTCOMES) outcome!: ContactOutcome;
  @ApiPropertyOptional({ example: '+8613800138000', description: 'The number or address used: the cn limit of unanswered attempts is per number' })
  @IsOmittable()
  @IsString()
  @Length(1, 128)
  address?: string;
  @ApiPropertyOptional({ example: 'Zhang San', description: 'Who was reached, when not the borrower: limits and the us once-per-third-party rule are per person' })
  @IsOmittable()
  @IsString()
  @Length(1, 128)
  personReached?: string;
  @ApiPropertyOptional({ enum: THIRD_PARTY_PURPOSES, description: 'Why a third party was contacted (default location-information); us: nothing else is allowed' })
  @IsOmittable()
  @IsIn(THIRD_PARTY_PURPOSES)
  purpose?: ThirdPartyPurpose;
  @ApiPropertyOptional({ enum: REPEAT_REASONS, description: 'us: why a third party already spoken to is contacted again (1006.10(c))' })
  @IsOmittable()
  @IsIn(REPEAT_REASONS)
  repeatReason?: RepeatReason;
  @ApiProperty({ description: 'The collector who made or took the contact', example: 'agent-7' }) @IsString() @Length(1, 64) agentId!: string;
  @ApiPropertyOptional({ description: 'Free text, kept with the contact', maxLength: MAX_NOTE_LENGTH, example: 'will pay on Friday' }) @IsOmittable() @IsString() @MaxLength(MAX_NOTE_LENGTH) note?: string;
  @ApiPropertyOptional({ type: PromiseToPayDto, description: 'Required with, and only with, the outcome promise-to-pay' })
  @IsOmittable()
  @IsObject()
  @ValidateNested()
  @Type(() => PromiseToPayDto)
  promise?: PromiseToPayDto;
}

export class ContactViolationDto {
  @ApiProperty({ description: 'Code of the conduct rule broken' }) rule!: string;
  @ApiProperty({ description: 'The rule broken, in words' }) message!: string;
}

export class ContactRecordedDto {
  @ApiProperty({ description: 'The contact recorded' }) contactId!: string;
  @ApiProperty({ type: [ContactViolationDto], description: 'Rules the contact broke; it is recorded all the same' })
  violations!: ContactViolationDto[];
}

export class RecordRestrictionDto {
  @ApiProperty({ example: 'RX-0001', description: 'Names this stop request; one per id' }) @IsClientId() restrictionId!: string;
  @ApiProperty({ description: 'cease-all: no contact at all; channel-opt-out: none on `channel`', enum: ['cease-all', 'channel-opt-out'], example: 'channel-opt-out' }) @IsIn(['cease-all', 'channel-opt-out']) restriction!: 'cease-all' | 'channel-opt-out';
  @ApiPropertyOptional({ enum: CONTACT_CHANNELS, description: 'For a channel opt-out' }) @IsOmittable() @IsIn(CONTACT_CHANNELS) channel?: ContactChannel;
  @ApiPropertyOptional({
    example: '2026-03-02T10:00:00+08:00',
    description:
      'When the borrower asked (an opt-out said on a call at 10:00 and keyed in at 10:05 is requested at 10:00). The restriction is honoured ' +
      'from this instant, also for contacts already recorded at or after it: each such contact is found in violation (a ContactViolationFound ' +
      'event). Defaults to now; later than now is refused with 409 BUSINESS_DATE.IN_FUTURE.',
  })
  @IsOmittable()
  @IsInstant()
  requestedAt?: string;
  @ApiPropertyOptional({ description: "Why, in the borrower's words or the agent's", maxLength: 500, example: 'asked on the phone to stop texts' }) @IsOmittable() @IsString() @MaxLength(500) reason?: string;
}

export class ViolationFoundDto {
  @ApiProperty({ description: 'The contact found in violation' }) contactId!: string;
  @ApiProperty({ description: 'The loan it was about' }) loanId!: string;
  @ApiProperty({ description: "The contact's instant" }) at!: string;
  @ApiProperty({ description: 'Code of the conduct rule broken' }) rule!: string;
  @ApiProperty({ description: 'The rule broken, in words' }) message!: string;
}

export class RestrictionRecordedDto {
  @ApiProperty({ description: 'The stop request recorded' }) restrictionId!: string;
  @ApiProperty({ description: 'When the borrower asked: the restriction is honoured from this instant' }) requestedAt!: string;
  @ApiProperty({
    description:
      'Honoured from this instant, as before requestedAt existed: now always equal to requestedAt (restrictions recorded before then were ' +
      'honoured from the instant they were recorded, which is their requestedAt). Kept for existing clients; prefer requestedAt.',
  })
  effectiveAt!: string;
  @ApiProperty({
    type: [ViolationFoundDto],
    description: 'Contacts already recorded at or after requestedAt that break this restriction; each is recorded as a ContactViolationFound event',
  })
  violationsFound!: ViolationFoundDto[];
}

export class RecordedViolationDto {
  @ApiProperty({ description: 'Code of the conduct rule broken' }) rule!: string;
  @ApiProperty({ description: 'The rule broken, in words' }) message!: string;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'null: judged when the contact was recorded, or found by a contact recorded late (foundWith); otherwise the stop request, made before the contact and recorded after it, whose recording found the violation',
  })
  restrictionId!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'The contact, recorded after this one but made before it, whose recording found the violation' })
  foundWith!: string | null;
}

export class ContactHistoryItemDto {
  @ApiProperty({ description: "The contact's id" }) contactId!: string;
  @ApiProperty({ description: 'The loan it was about' }) loanId!: string;
  @ApiProperty({ description: 'When the contact happened' }) at!: string;
  @ApiProperty({ format: 'date', description: "The contact's date in the borrower's time zone" }) madeOn!: string;
  @ApiProperty({ description: 'How', enum: CONTACT_CHANNELS }) channel!: string;
  @ApiProperty({ description: 'Who was contacted', enum: CONTACT_PARTIES }) party!: string;
  @ApiProperty({ description: 'Who initiated it', enum: CONTACT_DIRECTIONS }) direction!: string;
  @ApiProperty({ description: 'Whether anyone was reached' }) connected!: boolean;
  @ApiProperty({ description: 'What came of it', enum: CONTACT_OUTCOMES }) outcome!: string;
  @ApiPropertyOptional({ description: 'The number or address used; null when none was recorded', type: String, nullable: true }) address!: string | null;
  @ApiPropertyOptional({ description: 'Who was reached, when not the borrower; null otherwise', type: String, nullable: true }) personReached!: string | null;
  @ApiProperty({ type: [String], description: 'The time zones the borrower may have been in, in which the contact was judged (empty: recorded before they were)' })
  timeZones!: string[];
  @ApiProperty({ type: [RecordedViolationDto], description: 'Every rule the contact is known to have broken, including those found after it was recorded' })
  violations!: RecordedViolationDto[];
}

export class ContactRestrictionDto {
  @ApiProperty({ description: "The stop request's id" }) restrictionId!: string;
  @ApiProperty({ description: 'cease-all: no contact at all; channel-opt-out: none on `channel`', enum: ['cease-all', 'channel-opt-out'] }) kind!: string;
  @ApiPropertyOptional({ description: 'The channel opted out of; null for cease-all', type: String, nullable: true }) channel!: string | null;
  @ApiProperty({ description: 'When the borrower asked: the restriction is honoured from this instant' }) requestedAt!: string;
  @ApiProperty({ description: 'Always equal to requestedAt; kept for existing clients' }) effectiveAt!: string;
}

export class ContactHistoryDto {
  @ApiProperty({ description: 'The borrower' }) borrowerId!: string;
  @ApiProperty({ type: [ContactHistoryItemDto], description: 'In the order recorded' }) contacts!: ContactHistoryItemDto[];
  @ApiProperty({ description: "The borrower's stop requests", type: [ContactRestrictionDto] }) restrictions!: ContactRestrictionDto[];
}

export class ContactPermissionQueryDto {
  @ApiProperty({ description: 'The loan the contact would be about', example: 'L-0001' }) @IsClientId() loanId!: string;
  @ApiProperty({ description: 'How the contact would be made', enum: CONTACT_CHANNELS }) @IsIn(CONTACT_CHANNELS) channel!: ContactChannel;
  @ApiProperty({ description: 'Who would be contacted', enum: CONTACT_PARTIES }) @IsIn(CONTACT_PARTIES) party!: ContactParty;
  @ApiPropertyOptional({ description: "Defaults to now (the engine's business clock)" }) @IsOptional() @IsInstant() at?: string;
  @ApiPropertyOptional({ description: 'The number or address that would be used' }) @IsOptional() @IsString() @Length(1, 128) address?: string;
  @ApiPropertyOptional({ description: 'Who would be reached, when not the borrower' }) @IsOptional() @IsString() @Length(1, 128) personReached?: string;
  @ApiPropertyOptional({ description: 'Why a third party would be contacted', enum: THIRD_PARTY_PURPOSES }) @IsOptional() @IsIn(THIRD_PARTY_PURPOSES) purpose?: ThirdPartyPurpose;
  @ApiPropertyOptional({ description: 'Why a third party already spoken to would be contacted again', enum: REPEAT_REASONS }) @IsOptional() @IsIn(REPEAT_REASONS) repeatReason?: RepeatReason;
}

export class RecordTimeZoneDto {
  @ApiProperty({ description: 'IANA time zone the borrower lives in', example: 'America/Los_Angeles' }) @IsTimeZone() timeZone!: string;
  @ApiPropertyOptional({ example: '2026-01-10T00:00:00+08:00', format: 'date-time', description: 'From when the borrower lives there (default now; later than now is refused)' }) @IsOmittable() @IsInstant() from?: string;
}

export class TimeZoneRecordedDto {
  @ApiProperty({ description: 'The time zone recorded' }) timeZone!: string;
  @ApiProperty({ description: 'From when it applies' }) from!: string;
}

export class ContactPermissionDto {
  @ApiProperty({ description: 'True when the contact would break no rule' }) allowed!: boolean;
  @ApiProperty({ description: 'The rules it would break', type: [ContactViolationDto] }) violations!: ContactViolationDto[];
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, description: 'The first instant a contact would break no rule; null when only the borrower can lift a rule' })
  nextAllowedAt!: string | null;
}
