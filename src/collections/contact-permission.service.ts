import { Inject, Injectable } from '@nestjs/common';
import { foldStream } from '../kernel/event-store/fold-stream.js';
import { BusinessRuleViolation } from '../kernel/errors/domain-error.js';
import { EVENT_STORE, type EventStore } from '../kernel/event-store/event-store.port.js';
import { ConductPolicies } from '../config/conduct-policy.provider.js';
import { collectionDecider } from './domain/collection-decider.js';
import { collectionStream } from './domain/collection-events.js';
import type { ContactChannel, ContactParty, RepeatReason, ThirdPartyPurpose } from './domain/contact-vocabulary.js';
import { borrowerTimeZonesAt } from './domain/borrower-time-zones.js';
import { BorrowerLoanZones } from './borrower-loan-zones.js';
import { judgeContact, nextAllowedAt } from './domain/judge-contact.js';
import type { ContactPermissionDto } from './collection-dtos.js';
import { LoanDirectory } from './loan-directory.js';

export interface PermissionRequest {
  readonly loanId: string;
  readonly channel: ContactChannel;
  readonly party: ContactParty;
  readonly at: string;
  readonly address?: string;
  readonly personReached?: string;
  readonly purpose?: ThirdPartyPurpose;
  readonly repeatReason?: RepeatReason;
}

/** Asked by a dialer before a contact: may it happen now, and if not, why and when. */
@Injectable()
export class ContactPermissionService {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly loans: LoanDirectory,
    private readonly policies: ConductPolicies,
    private readonly zones: BorrowerLoanZones,
  ) {}

  async check(borrowerId: string, request: PermissionRequest): Promise<ContactPermissionDto> {
    const loan = await this.loans.forCollection(request.loanId);
    if (loan.borrowerId !== borrowerId) {
      throw new BusinessRuleViolation('CONTACT.LOAN_OF_ANOTHER_BORROWER', `Loan ${request.loanId} belongs to another borrower than ${borrowerId}`);
    }
    const history = await this.events.readStream(collectionStream(borrowerId));
    const state = foldStream(collectionDecider, history);
    const timeZones = borrowerTimeZonesAt(state.timeZones, request.at, [loan.timeZone, ...(await this.zones.of(borrowerId))], state.contacts);
    const context = { policy: this.policies.forCurrency(loan.currency), restrictions: state.restrictions };
    const record = state.contacts.map((c) => ({ ...c, timeZones: c.timeZones ?? timeZones }));
    const { loanId, at, channel, party, address, personReached, purpose, repeatReason } = request;
    const contact = { loanId, at, channel, party, address, personReached, purpose, repeatReason };
    const violations = judgeContact(contact, timeZones, record, context);
    return { allowed: violations.length === 0, violations, nextAllowedAt: nextAllowedAt(contact, timeZones, record, context) ?? null };
  }
}
