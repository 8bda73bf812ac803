import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { OverdueStatusReader } from '../read-models/overdue-status/overdue-status.reader.js';

/**
 * The time zones of a borrower's loans, for judging a contact in every zone the borrower may
 * be in. Read from the overdue-status projection where this process runs projections; where
 * it does not (the CLI, a command-only instance) that read model may be missing or behind, and
 * the collection stream's own record of the zones its contacts were judged in is what there is.
 */
@Injectable()
export class BorrowerLoanZones {
  constructor(
    private readonly config: AppConfig,
    private readonly overdue: OverdueStatusReader,
  ) {}

  async of(borrowerId: string): Promise<string[]> {
    return this.config.PROJECTIONS_ENABLED ? this.overdue.borrowerTimeZones(borrowerId) : [];
  }
}
