import type { ErrorCode } from './error-catalogue.js';

/**
 * What the OpenAPI document says of each route (issue 25), keyed by `Controller.method`:
 * the operation id a generated client names its function after, a summary, a description
 * (what it records or answers, when it is refused) and the error codes of its own it can
 * answer with. Codes every route of a kind shares (REQUEST.INVALID, AUTH.*, REQUEST.TOO_LARGE,
 * REQUEST.RATE_LIMITED, and on commands COMMAND.ID_REUSED, STREAM.BUSY,
 * BUSINESS_DATE.IN_FUTURE) and the roles are added by openapi-document.ts, which refuses a
 * route missing here.
 */
export interface OperationDoc {
  readonly operationId: string;
  readonly summary: string;
  readonly description: string;
  readonly errors?: readonly ErrorCode[];
  /**
   * Requests the engine accepts, by name, where the DTOs' own examples would not do. The
   * examples of all operations tell one story, in the order test/openapi/openapi.e2e.spec.ts
   * sends them to a fresh engine: loan L-0001 of borrower B-1001 is originated on 2026-01-10,
   * disbursed, paid, its payment reversed, closed through 2026-03-31, ...
   */
  readonly examples?: Readonly<Record<string, RequestExample>>;
}

export interface RequestExample {
  readonly summary: string;
  /** Path and query parameters; others take their schema's example. */
  readonly params?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

const ORIGINATION = {
  loanId: 'L-0001',
  borrowerId: 'B-1001',
  borrowerTimeZone: 'Asia/Shanghai',
  currency: 'CNY',
  principal: '12000.00',
  annualInterestRate: '0.18',
  termMonths: 12,
  repaymentMethod: 'equal-installment',
  originatedOn: '2026-01-10',
  creditAssessment: { score: 712, grade: 'B', source: 'internal-scorecard-v3', assessedOn: '2026-01-09' },
  riskDisclosure: { version: 'rd-2026-01', acceptedAt: '2026-01-09T20:15:00+08:00' },
};

const LOAN_COMMAND = ['LOAN.NOT_FOUND', 'LOAN.NOT_DISBURSED'] as const satisfies readonly ErrorCode[];

export const OPERATIONS: Readonly<Record<string, OperationDoc>> = {
  'LoansController.originate': {
    operationId: 'originateLoan',
    summary: 'Originate a loan',
    description:
      'Records a loan origination (LoanOriginated) with its terms, credit assessment, risk disclosure and borrower. ' +
      'Without `loanId` a UUIDv7 is assigned; with one, a repeat of the same request returns the first result. ' +
      "Refused when the loan id is taken, a rate is above the lending policy's cap, or the assessment or disclosure is dated after the origination.",
    errors: ['LOAN.ALREADY_EXISTS', 'LOAN.ASSESSMENT_AFTER_ORIGINATION', 'LOAN.RISK_DISCLOSURE_AFTER_ORIGINATION', 'RATE_ABOVE_CAP'],
    examples: {
      loan: { summary: 'A 12-month loan of 12,000.00 CNY', body: ORIGINATION },
      toCancel: { summary: 'A second loan, whose origination is then cancelled', body: { ...ORIGINATION, loanId: 'L-0002' } },
    },
  },
  'LoansController.disburse': {
    operationId: 'disburseLoan',
    summary: 'Disburse a loan',
    description:
      'Records the disbursement (LoanDisbursed) and answers with the repayment schedule it fixes. ' +
      'Refused for a loan already disbursed or whose origination was cancelled, or a date before the origination.',
    errors: ['LOAN.NOT_FOUND', 'LOAN.CANCELLED', 'LOAN.ALREADY_DISBURSED', 'BUSINESS_DATE.BEFORE_ORIGINATION'],
  },
  'LoansController.receivePayment': {
    operationId: 'receivePayment',
    summary: 'Record a payment',
    description:
      'Records a payment received (PaymentReceived) and how it was allocated: penalty, interest, principal of the oldest instalment first, ' +
      'then prepayment and any overpayment held. A payment received before others already recorded is reconciled (backdated) when it can be. ' +
      'The payment id is its natural idempotency key. Refused before disbursement, for a reused payment id, or further back than can be reconciled.',
    errors: [...LOAN_COMMAND, 'PAYMENT.DUPLICATE_ID', 'PAYMENT.BEFORE_DISBURSEMENT', 'LOAN.BACKDATED', 'PAYMENT.BACKDATED_TOO_FAR', 'BUSINESS_DATE.BEFORE_ORIGINATION'],
    examples: {
      instalment: {
        summary: 'The first instalment, by bank transfer',
        body: { paymentId: 'PAY-0001', amount: '1100.16', receivedOn: '2026-02-15', channel: 'bank-transfer', reference: 'stmt-88812' },
      },
      payOff: {
        summary: 'More than the loan owes: it is paid off and the rest is held as overpayment',
        body: { paymentId: 'PAY-0002', amount: '20000.00', receivedOn: '2026-04-09', channel: 'bank-transfer', reference: 'stmt-90417' },
      },
    },
  },
  'LoansController.reversePayment': {
    operationId: 'reversePayment',
    summary: 'Reverse a payment',
    description:
      'Records the reversal of a payment (PaymentReversed, e.g. a bounced transfer): what it paid is owed again. ' +
      'Refused for an unknown or already reversed payment, a reversal dated before it, or while a later payment, a refund of its overpayment, a restructuring or a write-off rests on it.',
    errors: [
      'LOAN.NOT_FOUND',
      'PAYMENT.NOT_FOUND',
      'PAYMENT.ALREADY_REVERSED',
      'PAYMENT.REVERSAL_BEFORE_PAYMENT',
      'PAYMENT.LATER_PAYMENT_STANDS',
      'PAYMENT.OVERPAYMENT_REFUNDED',
      'PAYMENT.BEFORE_RESTRUCTURING_OR_WRITE_OFF',
    ],
  },
  'LoansController.refundOverpayment': {
    operationId: 'refundOverpayment',
    summary: 'Refund an overpayment',
    description:
      'Records the refund of overpaid money held on the loan (OverpaymentRefunded). ' +
      'Refused for more than the overpayment held, before the overpayment, before an earlier refund, or for a reused refund id.',
    examples: {
      refund: { summary: 'Part of the overpayment held, paid back', body: { refundId: 'RF-0001', amount: '50.00', refundedOn: '2026-04-10', reference: 'wire-back-17' } },
    },
    errors: [...LOAN_COMMAND, 'REFUND.DUPLICATE_ID', 'LOAN.BEFORE_DISBURSEMENT', 'LOAN.BACKDATED', 'REFUND.BEFORE_OVERPAYMENT', 'REFUND.EXCEEDS_OVERPAYMENT'],
  },
  'LoansController.restructure': {
    operationId: 'restructureLoan',
    summary: 'Restructure a loan',
    description:
      'Records a hardship restructuring (LoanRestructured): new term, rate or payment holiday; overdue interest and penalty are capitalised or forgone as the lending policy says, ' +
      'and the new schedule is answered. Refused for a loan paid off or written off, one with no principal outstanding, or a reused restructuring id.',
    examples: {
      longerTerm: {
        summary: 'Spread what is left over 24 months, overdue interest and penalty capitalised',
        body: { restructuringId: 'RS-2026-0001', effectiveOn: '2026-04-05', reason: 'hardship', termMonths: 24, capitalise: true },
      },
    },
    errors: [...LOAN_COMMAND, 'LOAN.CLOSED', 'RESTRUCTURING.DUPLICATE_ID', 'RESTRUCTURING.NO_PRINCIPAL_OUTSTANDING', 'RATE_ABOVE_CAP', 'LOAN.BEFORE_DISBURSEMENT', 'LOAN.BACKDATED'],
  },
  'LoansController.waivePenalty': {
    operationId: 'waivePenalty',
    summary: 'Waive penalty',
    description:
      'Records a penalty waiver (PenaltyWaived) of all or part of the penalty outstanding. ' +
      'Refused when no penalty is outstanding, for more than is outstanding, before disbursement, or for a reused waiver id.',
    examples: {
      all: {
        summary: 'Every unit of penalty outstanding',
        body: { waiverId: 'WV-0001', waivedOn: '2026-04-01', amount: 'all', reason: 'hardship programme', approvedBy: 'collections-manager:li.wei' },
      },
    },
    errors: [...LOAN_COMMAND, 'WAIVER.DUPLICATE_ID', 'LOAN.BEFORE_DISBURSEMENT', 'LOAN.BACKDATED', 'WAIVER.NO_PENALTY_OUTSTANDING', 'WAIVER.EXCEEDS_PENALTY'],
  },
  'LoansController.writeOff': {
    operationId: 'writeOffLoan',
    summary: 'Write a loan off',
    description:
      'Records a write-off (LoanWrittenOff) of the principal, interest and penalty outstanding; later payments are recoveries. ' +
      'Refused for a loan paid off or already written off, or a date before disbursement.',
    examples: {
      uncollectable: { summary: 'Written off as uncollectable', body: { writeOffId: 'WO-0001', writtenOffOn: '2026-04-07', reason: 'uncollectable' } },
    },
    errors: [...LOAN_COMMAND, 'LOAN.ALREADY_WRITTEN_OFF', 'LOAN.CLOSED', 'LOAN.BEFORE_DISBURSEMENT', 'LOAN.BACKDATED'],
  },
  'LoansController.cancelOrigination': {
    operationId: 'cancelOrigination',
    summary: 'Cancel an origination',
    description: 'Records the withdrawal of an origination (OriginationCancelled). Refused once the loan is disbursed, or when already cancelled.',
    errors: ['LOAN.NOT_FOUND', 'LOAN.CANCELLED', 'LOAN.ALREADY_DISBURSED'],
    examples: {
      declined: { summary: 'The second loan, declined before disbursement', params: { loanId: 'L-0002' }, body: { cancelledOn: '2026-01-11', reason: 'declined by the borrower before disbursement' } },
    },
  },
  'LoansController.reversePenaltyWaiver': {
    operationId: 'reversePenaltyWaiver',
    summary: 'Reverse a penalty waiver',
    description:
      'Records the reversal of a penalty waiver (PenaltyWaiverReversed): the penalty it waived is owed again. ' +
      'Refused for an unknown or already reversed waiver, a reversal dated before it, or a loan written off.',
    examples: { mistake: { summary: 'The waiver was granted by mistake', body: { reason: 'granted by mistake', reversedOn: '2026-04-02' } } },
    errors: ['LOAN.NOT_FOUND', 'WAIVER.NOT_FOUND', 'WAIVER.ALREADY_REVERSED', 'WAIVER.REVERSAL_BEFORE_WAIVER', 'LOAN.WRITTEN_OFF'],
  },
  'LoansController.reverseWriteOff': {
    operationId: 'reverseWriteOff',
    summary: 'Reverse a write-off',
    description:
      'Records the reversal of a write-off (WriteOffReversed): the loan is active again, owing what it owed. ' +
      'Refused for a write-off not in force, a reversal dated before it, or while recoveries received since stand.',
    examples: { borrowerFound: { summary: 'The borrower was found and will pay', body: { reason: 'borrower traced', reversedOn: '2026-04-08' } } },
    errors: ['LOAN.NOT_FOUND', 'WRITE_OFF.NOT_FOUND', 'WRITE_OFF.REVERSAL_BEFORE_WRITE_OFF', 'WRITE_OFF.RECOVERIES_STAND'],
  },
  'LoansController.reverseRestructuring': {
    operationId: 'reverseRestructuring',
    summary: 'Reverse a restructuring',
    description:
      'Records the reversal of the restructuring in force (RestructuringReversed): the schedule before it is in force again. ' +
      'Refused for a restructuring not in force, a reversal dated before it took effect, or while payments or other events rest on the new schedule.',
    examples: { recovered: { summary: 'The hardship ended before the new schedule began', body: { reason: 'hardship ended', reversedOn: '2026-04-06' } } },
    errors: ['LOAN.NOT_FOUND', 'RESTRUCTURING.NOT_IN_FORCE', 'RESTRUCTURING.REVERSAL_BEFORE_EFFECTIVE', 'RESTRUCTURING.DEPENDED_ON'],
  },
  'LoansController.getLoan': {
    operationId: 'getLoan',
    summary: 'Read a loan',
    description:
      'The loan folded from its events: terms, schedule, balances, status and its most recent payments (`paymentsTotal` counts them all). ' +
      '`asOf` shows it as it stood on a business date, `knownAt` as it was known at an instant; `payoffOn` adds the amount that pays it off on a date.',
    errors: ['LOAN.NOT_FOUND'],
  },
  'LoansController.listPayments': {
    operationId: 'listLoanPayments',
    summary: "Page through a loan's payments",
    description: "The loan's payments as it stands, in the order recorded, `limit` at a time from `offset`.",
    errors: ['LOAN.NOT_FOUND'],
  },
  'LoansController.listLoans': {
    operationId: 'listBorrowerLoans',
    summary: "List a borrower's loans",
    description: "A borrower's loans from the loan-register projection (it may lag the log by moments).",
  },
  'CollectionsController.recordTimeZone': {
    operationId: 'recordBorrowerTimeZone',
    summary: "Record a borrower's time zone",
    description: 'Records where the borrower lives from an instant on (default now): contacts are judged in this zone as well as in their loans\' zones. Refused for a zone that is not an IANA time zone.',
  },
  'CollectionsController.recordContact': {
    operationId: 'recordCollectionContact',
    summary: 'Record a collection contact',
    description:
      'Records a contact that happened (CollectionContactRecorded), with every conduct rule it broke (answered as `violations`): a contact is recorded even when it broke rules. ' +
      'Refused for a reused contact id, an unknown loan or a loan of another borrower.',
    errors: ['LOAN.NOT_FOUND', 'CONTACT.DUPLICATE_ID', 'CONTACT.LOAN_OF_ANOTHER_BORROWER'],
    examples: {
      promise: {
        summary: 'A call in which the borrower promised to pay',
        body: {
          contactId: 'CT-0001',
          loanId: 'L-0001',
          at: '2026-03-02T10:00:00+08:00',
          channel: 'phone',
          party: 'borrower',
          direction: 'outbound',
          connected: true,
          outcome: 'promise-to-pay',
          address: '+8613800138000',
          agentId: 'agent-7',
          note: 'will pay on the 10th',
          promise: { amount: '1100.16', dueOn: '2026-03-10' },
        },
      },
    },
  },
  'CollectionsController.recordRestriction': {
    operationId: 'recordContactRestriction',
    summary: 'Record a stop request',
    description:
      'Records a borrower\'s request to stop (or limit) contact, honoured from `requestedAt` (default now); contacts already recorded at or after that instant are answered as `violationsFound`. ' +
      'Refused for a reused restriction id.',
    errors: ['RESTRICTION.DUPLICATE_ID'],
    examples: {
      noCalls: {
        summary: 'The borrower asked not to be phoned',
        body: { restrictionId: 'RX-0001', restriction: 'channel-opt-out', channel: 'phone', requestedAt: '2026-03-03T09:00:00+08:00', reason: 'asked on the phone' },
      },
    },
  },
  'CollectionsController.contacts': {
    operationId: 'getContactHistory',
    summary: "Read a borrower's contact history",
    description: "The borrower's contacts with every rule each is known to have broken, and the borrower's stop requests.",
    errors: ['COLLECTIONS.NO_HISTORY'],
  },
  'CollectionsController.permission': {
    operationId: 'checkContactPermission',
    summary: 'May the borrower be contacted now?',
    description: 'Whether a contact on a channel at an instant (default now) would break a conduct rule, and which; a dialer asks before calling. Records nothing.',
    errors: ['LOAN.NOT_FOUND', 'CONTACT.LOAN_OF_ANOTHER_BORROWER'],
  },
  'ProjectionsController.list': {
    operationId: 'listProjections',
    summary: 'List projections',
    description: 'Each projection: version, checkpoint, lag behind the log and state (live, catching up, failed).',
  },
  'ApiKeysController.list': {
    operationId: 'listApiKeys',
    summary: 'List API keys',
    description: 'The keys this engine accepts: principal, roles and when created. Never a secret (only hashes are kept).',
  },
  'EventLogController.loanEvents': {
    operationId: 'getLoanEvents',
    summary: "Read a loan's event log",
    description: "Every event of the loan's stream, in order, with its metadata.",
    errors: ['LOAN.NOT_FOUND'],
  },
  'EventLogController.collectionEvents': {
    operationId: 'getCollectionEvents',
    summary: "Read a borrower's collection event log",
    description: "Every collection event of the borrower's stream, in order, with its metadata.",
    errors: ['COLLECTIONS.NO_HISTORY'],
  },
  'AssessmentPerformanceController.assessmentPerformance': {
    operationId: 'getAssessmentPerformanceReport',
    summary: 'Credit assessment performance report',
    description: 'Bad rates by grade and score band, AUC, Gini, KS, PSI and vintages for a closed business date, in JSON or CSV; `x-content-sha256` is the SHA-256 of the body.',
    errors: ['REPORT.NOT_CLOSED'],
  },
  'CreditHistoryController.creditHistory': {
    operationId: 'getCreditHistory',
    summary: "A borrower's credit history",
    description: 'Per loan: opening, balance, highest days past due, episodes, the PBOC 24-month string, Metro 2 status and profile, for a closed month.',
    errors: ['BORROWER.NOT_FOUND', 'REPORT.NOT_CLOSED'],
  },
  'CreditHistoryController.creditHistoryCsv': {
    operationId: 'getCreditHistoryCsv',
    summary: "A borrower's credit history as CSV",
    description: 'The credit history in CSV, one row per loan.',
    errors: ['BORROWER.NOT_FOUND', 'REPORT.NOT_CLOSED'],
  },
  'ReportsController.regulatory': {
    operationId: 'getRegulatoryReport',
    summary: 'Regulator report',
    description: 'The regulator report for a closed business date, in JSON or CSV; `x-content-sha256` is the SHA-256 of the body.',
    errors: ['REPORT.NOT_CLOSED'],
  },
  'OverdueStatusController.forLoan': {
    operationId: 'getOverdueStatus',
    summary: "A loan's overdue status",
    description: "Days past due, bucket, class and amounts overdue, from the overdue-status projection; with `asOf` or `knownAt`, folded from the loan's events as of then.",
    errors: ['LOAN.NOT_FOUND'],
  },
  'OverdueStatusController.list': {
    operationId: 'listOverdueLoans',
    summary: 'List overdue loans',
    description: 'Overdue loans, days past due descending, a page at a time (follow `nextCursor`).',
  },
  'OverdueStatusController.summary': {
    operationId: 'getOverdueSummary',
    summary: 'Overdue summary',
    description: 'Loans and outstanding principal by bucket and by class, per currency.',
  },
  'CollectionQueueController.page': {
    operationId: 'getCollectionQueue',
    summary: 'The collection queue',
    description: 'Loans to work, in priority order, a page at a time (follow `nextCursor`).',
  },
  'CloseOfBusinessController.run': {
    operationId: 'runCloseOfBusiness',
    summary: 'Run close of business',
    description:
      'Closes the business date given: for every loan with something due or overdue it records the instalments missed, the penalty accrued through the date ' +
      'and the days-past-due thresholds reached, and judges promises to pay kept or broken; then the date is recorded as closed and reports may be asked of it. ' +
      'Closing the last date closed again appends nothing. Refused for a date before the last one closed, or later than today, ' +
      'and while close of business is running elsewhere on the same store, in another engine or the CLI (one at a time; the answer names it).',
    errors: ['COB.DATE_BEFORE_LAST_CLOSE', 'COB.IN_PROGRESS'],
    examples: { endOfMarch: { summary: 'Close 31 March 2026', body: { businessDate: '2026-03-31' } } },
  },
  'HealthController.check': {
    operationId: 'getHealth',
    summary: 'Health',
    description: 'Liveness for load balancers, no key needed: the head of the log and any failed projection.',
  },
  'DashboardController.portfolioHistory': {
    operationId: 'getPortfolioHistory',
    summary: 'Portfolio history',
    description: 'The portfolio after each close of business, per currency.',
  },
  'DashboardController.grades': {
    operationId: 'getGradeOutcomes',
    summary: 'Outcomes by credit grade',
    description: 'Delinquency by credit grade at origination.',
  },
  'DashboardController.rollRates': {
    operationId: 'getRollRates',
    summary: 'Roll rates',
    description: "The regulator report's roll rates at the last close of business.",
  },
  'DashboardController.overdueHistory': {
    operationId: 'getOverdueHistory',
    summary: "A loan's overdue history",
    description: "The loan's days past due and bucket after each close of business.",
    errors: ['LOAN.NOT_FOUND'],
  },
  'DashboardController.timeline': {
    operationId: 'getLoanTimeline',
    summary: "A loan's timeline",
    description: "The loan's events, without the borrower's personal data.",
    errors: ['LOAN.NOT_FOUND'],
  },
  'DashboardController.live': {
    operationId: 'streamDashboardUpdates',
    summary: 'Live dashboard updates',
    description: 'Server-sent events: a `projections` event with the checkpoints whenever they advance (at most one a second), so a page refreshes what it shows.',
  },
};
