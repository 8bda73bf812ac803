import type { IdentityDocumentType } from '../../loans/domain/borrower-identity.js';
import type { LoanOriginatedData } from '../../loans/domain/loan-events.js';
import { compareText } from '../../kernel/text/compare-text.js';

/**
 * Who a credit history is about, as a bureau matches it: name and identity document.
 * The phone number the lender may hold is not part of a bureau record and is left out.
 */
export interface BureauIdentity {
  readonly name: string;
  readonly identityDocument: { readonly type: IdentityDocumentType; readonly number: string } | null;
}

/** The identity given with the borrower's latest origination that gave one; null when none did. */
export function bureauIdentityOf(originations: readonly LoanOriginatedData[]): BureauIdentity | null {
  const latest = originations
    .filter((origination) => origination.borrower !== undefined)
    .sort((a, b) => compareText(b.originatedOn, a.originatedOn) || compareText(b.loanId, a.loanId))[0]?.borrower;
  if (!latest) return null;
  const document = latest.identityDocument;
  return { name: latest.name, identityDocument: document ? { type: document.type, number: document.number } : null };
}
