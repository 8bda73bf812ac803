/**
 * What a payer chooses when a payment prepays principal (DESIGN.md §2, Civil Code art. 677):
 * keep the instalment and repay in fewer of them, or keep the term and pay less each time.
 */
export const PREPAYMENT_OPTIONS = ['shorten-term', 'reduce-instalment'] as const;
export type PrepaymentOption = (typeof PREPAYMENT_OPTIONS)[number];

export const DEFAULT_PREPAYMENT_OPTION: PrepaymentOption = 'shorten-term';
