/** Kinds of identity document a borrower may be identified by. */
export const IDENTITY_DOCUMENT_TYPES = ['national-id', 'passport', 'ssn', 'itin', 'other'] as const;
export type IdentityDocumentType = (typeof IDENTITY_DOCUMENT_TYPES)[number];

/**
 * Personal data of the borrower, given at origination when the lender wants the engine to
 * report to a credit bureau. It is personal data: it never reaches logs, views for viewers,
 * or the regulator report; the credit history carries only what a bureau record needs
 * (name and identity document, not the phone number).
 */
export interface BorrowerIdentity {
  readonly name: string;
  /** E.164, for the collection dialer's systems; never reported. */
  readonly phone?: string;
  readonly identityDocument?: { readonly type: IdentityDocumentType; readonly number: string };
}
