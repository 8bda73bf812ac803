import { Inject, Injectable } from '@nestjs/common';
import { foldStream } from '../kernel/fold-stream.js';
import { BusinessRuleViolation } from '../kernel/errors/domain-error.js';
import { EVENT_STORE, type EventStore } from '../kernel/event-store/event-store.port.js';
import { ConductPolicies } from './conduct-policy.provider.js';
import { collectionDecider } from './domain/collection-decider.js';
import { collectionStream } from './domain/collection-events.js';
import type { ContactChannel, ContactParty } from './domain/contact-vocabulary.js';
import { judgeContact, nextAllowedAt } from './domain/judge-contact.js';
import type { ContactPermissionDto } from './http/collection-dtos.js';
import { LoanDirectory } from './loan-directory.js';

/** Asked by a dialer before a contact: may it happen now, and if not, why and when. */
@Injectable()
export class ContactPermissionService {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly loans: LoanDirectory,
    private readonly policies: ConductPolicies,
  ) {}

  async check(borrowerId: string, request: { loanId: string; channel: ContactChannel; party: ContactParty; at: string }): Promise<ContactPermissionDto> {
    const loan = await this.loans.forCollection(request.loanId);
    if (loan.borrowerId !== borrowerId) {
      throw new BusinessRuleViolation('CONTACT.LOAN_OF_ANOTHER_BORROWER', `Loan ${request.loanId} belongs to another borrower than ${borrowerId}`);
    }
    const history = await this.events.readStream(collectionStream(borrowerId));
    const state = foldStream(collectionDecider, history);
    const context = { policy: this.policies.forCurrency(loan.currency), timeZone: loan.timeZone, history: state.contacts, restrictions: state.restrictions };
    const contact = { loanId: request.loanId, at: request.at, channel: request.channel, party: request.party };
    const violations = judgeContact(contact, context);
    return { allowed: violations.length === 0, violations, nextAllowedAt: nextAllowedAt(contact, context) ?? null };
  }
}
