import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { IsBusinessDate, IsClientId } from '../../http/validators/domain-validators.js';
import { CLIENT_ID_PATTERN, LoanIdParams } from '../../http/loan-route-params.dto.js';

export class CancelOriginationDto {
  @ApiProperty({ description: 'Business date of the cancellation', example: '2026-01-11', format: 'date' }) @IsBusinessDate()
  cancelledOn!: string;
  @ApiProperty({ description: 'Why the origination is withdrawn', example: 'declined by the borrower before disbursement' }) @IsString() @Length(1, 500)
  reason!: string;
}

export class WaiverIdParams extends LoanIdParams {
  @ApiProperty({ description: "The penalty waiver's id, as recorded", example: 'WV-0001', pattern: CLIENT_ID_PATTERN }) @IsClientId() waiverId!: string;
}

export class WriteOffIdParams extends LoanIdParams {
  @ApiProperty({ description: "The write-off's id, as recorded", example: 'WO-0001', pattern: CLIENT_ID_PATTERN }) @IsClientId() writeOffId!: string;
}

export class RestructuringIdParams extends LoanIdParams {
  @ApiProperty({ description: "The restructuring's id, as recorded", example: 'RS-2026-0001', pattern: CLIENT_ID_PATTERN }) @IsClientId() restructuringId!: string;
}

/** What a correcting event left the loan as. */
export class CorrectionResultDto {
  @ApiProperty({ description: 'The loan corrected' }) loanId!: string;
  @ApiProperty({ description: 'The event that records the correction', enum: ['LoanOriginationCancelled', 'PenaltyWaiverReversed', 'WriteOffReversed', 'RestructuringReversed'] })
  recorded!: string;
  @ApiProperty({ description: "The loan's status after the correction", enum: ['approved', 'cancelled', 'active', 'paid-off', 'written-off'] }) status!: string;
}
