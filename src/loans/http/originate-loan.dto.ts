import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsInt, IsObject, IsString, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { IDENTITY_DOCUMENT_TYPES, type IdentityDocumentType } from '../domain/borrower-identity.js';
import {
  IsAmount,
  IsAnnualRate,
  IsBusinessDate,
  IsClientId,
  IsCurrency,
  IsOmittable,
  IsTimeZone,
} from '../../http/validators/domain-validators.js';
import { REPAYMENT_METHODS, type RepaymentMethod } from '../domain/repayment-method.js';
import { CreditAssessmentDto, RiskDisclosureDto } from '../queries/credit-assessment.dto.js';


export class IdentityDocumentDto {
  @ApiProperty({ description: 'Kind of identity document', enum: IDENTITY_DOCUMENT_TYPES }) @IsIn(IDENTITY_DOCUMENT_TYPES)
  type!: IdentityDocumentType;
  @ApiProperty({ description: 'Its number: 4-32 characters of A-Z a-z 0-9 -', example: '110101199003074512' }) @IsString() @Matches(/^[A-Za-z0-9-]{4,32}$/, { message: 'number must be 4-32 characters of A-Z a-z 0-9 -' })
  number!: string;
}

export class BorrowerIdentityDto {
  @ApiProperty({ description: "The borrower's full name", example: 'Li Wei' }) @IsString() @Length(1, 200)
  name!: string;
  @ApiPropertyOptional({ example: '+8613800138000', description: 'E.164' }) @IsOmittable() @IsString() @Matches(/^\+[1-9]\d{6,14}$/, { message: 'phone must be E.164, e.g. +8613800138000' })
  phone?: string;
  @ApiPropertyOptional({ description: "The borrower's identity document", type: IdentityDocumentDto }) @IsOmittable() @IsObject() @ValidateNested() @Type(() => IdentityDocumentDto)
  identityDocument?: IdentityDocumentDto;
}

export class OriginateLoanDto {
  @ApiPropertyOptional({ example: 'L-0001', description: 'Generated when absent (a UUIDv7)' }) @IsOmittable() @IsClientId()
  loanId?: string;
  @ApiProperty({ description: "The borrower's id in the lender's systems: 1-64 characters of A-Z a-z 0-9 . _ : -", example: 'B-1001' }) @IsClientId()
  borrowerId!: string;
  @ApiProperty({ description: "IANA time zone the loan's due dates and contacts are judged in", example: 'Asia/Shanghai' }) @IsTimeZone()
  borrowerTimeZone!: string;
  @ApiProperty({ description: 'ISO 4217 code; amounts are decimal strings with its number of decimals', example: 'CNY' }) @IsCurrency()
  currency!: string;
  @ApiProperty({ description: 'Amount lent, a decimal string', example: '12000.00' }) @IsAmount()
  principal!: string;
  @ApiProperty({ example: '0.18', description: 'Annual rate as a decimal string' }) @IsAnnualRate()
  annualInterestRate!: string;
  @ApiProperty({ type: 'integer', description: 'Number of monthly instalments', example: 12, minimum: 1, maximum: 360 }) @IsInt() @Min(1) @Max(360)
  termMonths!: number;
  @ApiProperty({ description: 'How the schedule splits principal and interest over the instalments', enum: REPAYMENT_METHODS }) @IsIn(REPAYMENT_METHODS)
  repaymentMethod!: RepaymentMethod;
  @ApiProperty({ description: 'Business date the offer was accepted; not in the future', example: '2026-01-10', format: 'date' }) @IsBusinessDate()
  originatedOn!: string;
  @ApiPropertyOptional({ type: 'integer', example: 3, description: 'Defaults to the lending policy', minimum: 0, maximum: 90 })
  @IsOmittable() @IsInt() @Min(0) @Max(90)
  gracePeriodDays?: number;
  @ApiPropertyOptional({ example: '0.27', description: 'Annual rate as a decimal string; defaults to min(contract rate × 1.5, policy cap)' }) @IsOmittable() @IsAnnualRate()
  penaltyAnnualRate?: string;
  @ApiProperty({ description: 'The assessment the loan was granted on', type: CreditAssessmentDto }) @IsDefined() @IsObject() @ValidateNested() @Type(() => CreditAssessmentDto)
  creditAssessment!: CreditAssessmentDto;
  @ApiProperty({ description: 'The risk disclosure the borrower accepted', type: RiskDisclosureDto }) @IsDefined() @IsObject() @ValidateNested() @Type(() => RiskDisclosureDto)
  riskDisclosure!: RiskDisclosureDto;
  @ApiPropertyOptional({ type: BorrowerIdentityDto, description: 'Personal data for credit-bureau reporting; kept out of logs, views and the regulator report' })
  @IsOmittable() @IsObject() @ValidateNested() @Type(() => BorrowerIdentityDto)
  borrower?: BorrowerIdentityDto;
}
