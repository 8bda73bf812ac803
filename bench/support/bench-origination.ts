import type { BusinessDate } from '../../src/kernel/dates/business-date.js';
import { LENDING_POLICY_PRESETS } from '../../src/policies/lending-policy.js';
import type { LoanCommand } from '../../src/loans/domain/loan-commands.js';

/** The origination every benchmark loan shares: 12 months at 18% in CNY, grade B, on the default policy. */
export function benchOrigination(index: number, originatedOn: BusinessDate, principal: string): LoanCommand {
  return {
    kind: 'originate',
    loanId: `L${index}`,
    borrowerId: `B${index}`,
    borrowerTimeZone: 'Asia/Shanghai',
    currency: 'CNY',
    principal,
    annualInterestRate: '0.18',
    termMonths: 12,
    repaymentMethod: 'equal-installment',
    originatedOn,
    creditAssessment: { score: 700, grade: 'B', source: 'bench', assessedOn: originatedOn },
    riskDisclosure: { version: 'rd-1', acceptedAt: `${originatedOn}T10:00:00+08:00` },
    policy: LENDING_POLICY_PRESETS.default,
  };
}
