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
  @ApiProperty({ enum: IDENTITY_DOCUMENT_TYPES }) @IsIn(IDENTITY_DOCUMENT_TYPES)
  type!: IdentityDocumentType;
  @ApiProperty({ example: '110101199003074512' }) @IsString() @Matches(/^[A-Za-z0-9-]{4,32}$/, { message: 'number must be 4-32 characters of A-Z a-z 0-9 -' })
  number!: string;
}

export class BorrowerIdentityDto {
  @ApiProperty({ example: 'Li Wei' }) @IsString() @Length(1, 200)
  name!: string;
  @ApiPropertyOptional({ example: '+8613800138000', description: 'E.164' }) @IsOmittable() @IsString() @Matches(/^\+[1-9]\d{6,14}$/, { message: 'phone must be E.164, e.g. +8613800138000' })
  phone?: string;
  @ApiPropertyOptional({ type: IdentityDocumentDto }) @IsOmittable() @IsObject() @ValidateNested() @Type(() => IdentityDocumentDto)
  identityDocument?: IdentityDocumentDto;
}

export class OriginateLoanDto {
  @ApiPropertyOptional({ example: 'L-0001', description: 'Generated when absent (a UUIDv7)' }) @IsOmittable() @IsClientId()
  loanId?: string;
  @ApiProperty({ example: 'B-1001' }) @IsClientId()
  borrowerId!: string;
  @ApiProperty({ example: 'Asia/Shanghai' }) @IsTimeZone()
  borrowerTimeZone!: string;
  @ApiProperty({ example: 'CNY' }) @IsCurrency()
  currency!: string;
  @ApiProperty({ example: '12000.00' }) @IsAmount()
  principal!: string;
  @ApiProperty({ example: '0.18', description: 'Annual rate as a decimal string' }) @IsAnnualRate()
  annualInterestRate!: string;
  @ApiProperty({ example: 12, minimum: 1, maximum: 360 }) @IsInt() @Min(1) @Max(360)
  termMonths!: number;
  @ApiProperty({ enum: REPAYMENT_METHODS }) @IsIn(REPAYMENT_METHODS)
  repaymentMethod!: RepaymentMethod;
  @ApiProperty({ example: '2026-01-10', format: 'date' }) @IsBusinessDate()
  originatedOn!: string;
  @ApiPropertyOptional({ example: 3, description: 'Defaults to the lending policy', minimum: 0, maximum: 90 })
  @IsOmittable() @IsInt() @Min(0) @Max(90)
  gracePeriodDays?: number;
  @ApiPropertyOptional({ example: '0.27', description: 'Annual rate as a decimal string; defaults to min(contract rate × 1.5, policy cap)' }) @IsOmittable() @IsAnnualRate()
  penaltyAnnualRate?: string;
  @ApiProperty({ type: CreditAssessmentDto }) @IsDefined() @IsObject() @ValidateNested() @Type(() => CreditAssessmentDto)
  creditAssessment!: CreditAssessmentDto;
  @ApiProperty({ type: RiskDisclosureDto }) @IsDefined() @IsObject() @ValidateNested() @Type(() => RiskDisclosureDto)
  riskDisclosure!: RiskDisclosureDto;
  @ApiPropertyOptional({ type: BorrowerIdentityDto, description: 'Personal data for credit-bureau reporting; kept out of logs, views and the regulator report' })
  @IsOmittable() @IsObject() @ValidateNested() @Type(() => BorrowerIdentityDto)
  borrower?: BorrowerIdentityDto;
}
