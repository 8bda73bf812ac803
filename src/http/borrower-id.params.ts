import { ApiProperty } from '@nestjs/swagger';
import { CLIENT_ID_PATTERN } from './loan-route-params.dto.js';
import { IsClientId } from './validators/domain-validators.js';

export class BorrowerIdParams {
  @ApiProperty({ description: "The borrower's id, as given at origination", example: 'B-1001', pattern: CLIENT_ID_PATTERN }) @IsClientId() borrowerId!: string;
}
