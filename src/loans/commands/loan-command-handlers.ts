import { CancelOriginationHandler } from './cancel-origination.command.js';
import { DisburseLoanHandler } from './disburse-loan.command.js';
import { OriginateLoanHandler } from './originate-loan.command.js';
import { ReceivePaymentHandler } from './receive-payment.command.js';
import { RefundOverpaymentHandler } from './refund-overpayment.command.js';
import { RestructureLoanHandler } from './restructure-loan.command.js';
import { ReversePaymentHandler } from './reverse-payment.command.js';
import { ReversePenaltyWaiverHandler } from './reverse-penalty-waiver.command.js';
import { ReverseRestructuringHandler } from './reverse-restructuring.command.js';
import { ReverseWriteOffHandler } from './reverse-write-off.command.js';
import { WaivePenaltyHandler } from './waive-penalty.command.js';
import { WriteOffLoanHandler } from './write-off-loan.command.js';

/** One handler per loan command the API takes; close of business runs its own in batches (CloseOfBusinessService). */
export const LOAN_COMMAND_HANDLERS = [
  OriginateLoanHandler,
  DisburseLoanHandler,
  ReceivePaymentHandler,
  ReversePaymentHandler,
  RefundOverpaymentHandler,
  RestructureLoanHandler,
  WaivePenaltyHandler,
  WriteOffLoanHandler,
  CancelOriginationHandler,
  ReversePenaltyWaiverHandler,
  ReverseWriteOffHandler,
  ReverseRestructuringHandler,
];
