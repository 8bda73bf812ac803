import { IsClientId } from './validators/domain-validators.js';

export class BorrowerIdParams {
  @IsClientId() borrowerId!: string;
}
