import { IsClientId } from '../../http/validators/domain-validators.js';

export class BorrowerIdParams {
  @IsClientId() borrowerId!: string;
}
