import type { BusinessDate } from '../../kernel/dates/business-date.js';
import type { LoanCommand } from './loan-commands.js';

/** The business date a loan command says something happened on, and the field that carries it. */
export interface CommandBusinessDate {
  readonly field: string;
  readonly date: BusinessDate;
}

/**
 * Every loan command asserts one business date: the day the loan was originated, the money
 * moved, the decision took effect or the day closed. It is the date the guards check: not
 * after today, and (but for origination itself) not before the loan's origination.
 */
export function businessDateOf(command: LoanCommand): CommandBusinessDate {
  switch (command.kind) {
    case 'originate':
      return { field: 'originatedOn', date: command.originatedOn };
    case 'disburse':
      return { field: 'disbursedOn', date: command.disbursedOn };
    case 'receive-payment':
      return { field: 'receivedOn', date: command.receivedOn };
    case 'reverse-payment':
      return { field: 'reversedOn', date: command.reversedOn };
    case 'refund-overpayment':
      return { field: 'refundedOn', date: command.refundedOn };
    case 'close-business-day':
      return { field: 'businessDate', date: command.businessDate };
    case 'restructure':
      return { field: 'effectiveOn', date: command.effectiveOn };
    case 'waive-penalty':
      return { field: 'waivedOn', date: command.waivedOn };
    case 'write-off':
      return { field: 'writtenOffOn', date: command.writtenOffOn };
    case 'cancel-origination':
      return { field: 'cancelledOn', date: command.cancelledOn };
    case 'reverse-penalty-waiver':
    case 'reverse-write-off':
    case 'reverse-restructuring':
      return { field: 'reversedOn', date: command.reversedOn };
  }
}
