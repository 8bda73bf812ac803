import type { Traffic } from './http-load.js';
import { servicedLoanId } from './loans-in-servicing.js';

/** One request of a Traffic, as either load generator sends it. */
export interface OutgoingRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: string;
}

/** The requests of a traffic, one after the other: the next loan, and for a payment, the next payment id. */
export function requestsOf(traffic: Traffic): () => OutgoingRequest {
  let sent = 0;
  if (traffic.kind === 'payments') {
    return () => {
      const n = sent++;
      const paymentId = `${traffic.paymentIdPrefix}-${n}`;
      return {
        method: 'POST',
        path: `/loans/${servicedLoanId(n % traffic.loans)}/payments`,
        body: JSON.stringify({ paymentId, amount: traffic.amount, receivedOn: traffic.receivedOn, channel: 'bank', reference: paymentId }),
      };
    };
  }
  return () => ({ method: 'GET', path: traffic.path.replace('{loanId}', servicedLoanId(sent++ % traffic.loans)) });
}
