/** How a loan is repaid (DESIGN.md §2): French annuity, equal principal, or interest then principal. */
export const REPAYMENT_METHODS = ['equal-installment', 'equal-principal', 'interest-only'] as const;
export type RepaymentMethod = (typeof REPAYMENT_METHODS)[number];
