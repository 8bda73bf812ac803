import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsObject, IsOptional, IsString, MaxLength, ValidateNested, Length } from 'class-validator';
import { IsAmount, IsBusinessDate, IsClientId, IsInstant, IsOmittable } from '../../http/validators/domain-validators.js';
import {
  CONTACT_CHANNELS,
  CONTACT_DIRECTIONS,
  CONTACT_OUTCOMES,
  CONTACT_PARTIES,
  type ContactChannel,
  type ContactDirection,
  type ContactOutcome,
  type ContactParty,
} from '../domain/contact-vocabulary.js';

export const MAX_NOTE_LENGTH = 2000;

export class PromiseToPayDto {
  @ApiProperty({ example: '1100.16' }) @IsAmount() amount!: string;
  @ApiProperty({ format: 'date' }) @IsBusinessDate() dueOn!: string;
}

export class RecordContactDto {
  @ApiProperty() @IsClientId() contactId!: string;
  @ApiProperty() @IsClientId() loanId!: string;
  @ApiProperty({ example: '2026-03-02T10:00:00+08:00', description: 'When the contact happened; later than now is refused with 409 BUSINESS_DATE.IN_FUTURE' })
  @IsInstant()
  at!: string;
  @ApiProperty({ enum: CONTACT_CHANNELS }) @IsIn(CONTACT_CHANNELS) channel!: ContactChannel;
  @ApiProperty({ enum: CONTACT_PARTIES }) @IsIn(CONTACT_PARTIES) party!: ContactParty;
  @ApiProperty({ enum: CONTACT_DIRECTIONS }) @IsIn(CONTACT_DIRECTIONS) direction!: ContactDirection;
  @ApiProperty() @IsBoolean() connected!: boolean;
  @ApiProperty({ enum: CONTACT_OUTCOMES }) @IsIn(CONTACT_OUTCOMES) outcome!: ContactOutcome;
  @ApiProperty() @IsString() @Length(1, 64) agentId!: string;
  @ApiPropertyOptional({ maxLength: MAX_NOTE_LENGTH }) @IsOmittable() @IsString() @MaxLength(MAX_NOTE_LENGTH) note?: string;
  @ApiPropertyOptional({ type: PromiseToPayDto, description: 'Required with, and only with, the outcome promise-to-pay' })
  @IsOmittable()
  @IsObject()
  @ValidateNested()
  @Type(() => PromiseToPayDto)
  promise?: PromiseToPayDto;
}

export class ContactViolationDto {
  @ApiProperty() rule!: string;
  @ApiProperty() message!: string;
}

export class ContactRecordedDto {
  @ApiProperty() contactId!: string;
  @ApiProperty({ type: [ContactViolationDto], description: 'Rules the contact broke; it is recorded all the same' })
  violations!: ContactViolationDto[];
}

export class RecordRestrictionDto {
  @ApiProperty() @IsClientId() restrictionId!: string;
  @ApiProperty({ enum: ['cease-all', 'channel-opt-out'] }) @IsIn(['cease-all', 'channel-opt-out']) restriction!: 'cease-all' | 'channel-opt-out';
  @ApiPropertyOptional({ enum: CONTACT_CHANNELS, description: 'For a channel opt-out' }) @IsOmittable() @IsIn(CONTACT_CHANNELS) channel?: ContactChannel;
  @ApiPropertyOptional({ maxLength: 500 }) @IsOmittable() @IsString() @MaxLength(500) reason?: string;
}

export class RestrictionRecordedDto {
  @ApiProperty() restrictionId!: string;
  @ApiProperty({ description: 'Honoured from this instant' }) effectiveAt!: string;
}

export class ContactPermissionQueryDto {
  @ApiProperty() @IsClientId() loanId!: string;
  @ApiProperty({ enum: CONTACT_CHANNELS }) @IsIn(CONTACT_CHANNELS) channel!: ContactChannel;
  @ApiProperty({ enum: CONTACT_PARTIES }) @IsIn(CONTACT_PARTIES) party!: ContactParty;
  @ApiPropertyOptional({ description: "Defaults to now (the engine's business clock)" }) @IsOptional() @IsInstant() at?: string;
}

export class ContactPermissionDto {
  @ApiProperty() allowed!: boolean;
  @ApiProperty({ type: [ContactViolationDto] }) violations!: ContactViolationDto[];
  @ApiPropertyOptional({ nullable: true, description: 'The first instant a contact would break no rule; null when only the borrower can lift a rule' })
  nextAllowedAt!: string | null;
}
