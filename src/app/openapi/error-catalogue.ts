/**
 * Every error code the engine answers with, its HTTP status and what it means (issue 25).
 * The OpenAPI document lists each operation's codes from here, the README's error catalogue
 * is rendered from here, and test/openapi/error-catalogue.spec.ts fails when a code raised
 * in src/ is missing, so neither can drift. `status: null`: raised by the CLI only.
 */
export interface CatalogueEntry {
  readonly status: number | null;
  readonly meaning: string;
}

export const ERROR_CATALOGUE = {
  'REQUEST.INVALID': { status: 400, meaning: 'The request does not have the documented shape or a value is out of range; `errors` lists each field with its problems' },
  'REQUEST.MALFORMED': { status: 400, meaning: 'The request is not well-formed HTTP' },
  'BUSINESS_DATE.BEFORE_ORIGINATION': { status: 400, meaning: "A date in the request is before the loan's origination" },
  'AUTH.UNAUTHENTICATED': { status: 401, meaning: 'No API key, a malformed `Authorization` header, or a key this engine does not accept' },
  'AUTH.FORBIDDEN': { status: 403, meaning: "The key holds none of the route's roles (`x-roles`; asking about the past with `asOf`/`knownAt` needs `x-time-travel-roles`)" },
  'ROUTE.NOT_FOUND': { status: 404, meaning: 'No such route' },
  'LOAN.NOT_FOUND': { status: 404, meaning: 'No such loan (or none as of the date asked)' },
  'BORROWER.NOT_FOUND': { status: 404, meaning: 'No loans are recorded for the borrower' },
  'COLLECTIONS.NO_HISTORY': { status: 404, meaning: 'No collection events are recorded for the borrower' },
  'WAIVER.NOT_FOUND': { status: 404, meaning: 'No such penalty waiver on the loan' },
  'WRITE_OFF.NOT_FOUND': { status: 404, meaning: 'The write-off is not the one in force on the loan' },
  'RESTRUCTURING.NOT_IN_FORCE': { status: 404, meaning: 'The restructuring is not the one in force on the loan' },
  'REQUEST.TIMEOUT': { status: 408, meaning: 'The request (headers and body) did not arrive in time' },
  'COMMAND.ID_REUSED': { status: 409, meaning: 'The `Idempotency-Key` (or natural id) was already used for a different command' },
  'STREAM.WRONG_EXPECTED_REVISION': { status: 409, meaning: 'The store refused an append for its expected revision; commands retry this themselves and answer `STREAM.BUSY` when their attempts run out' },
  'STREAM.EVENT_ID_REUSED': { status: 409, meaning: 'An event id is already in the log' },
  'BUSINESS_DATE.IN_FUTURE': { status: 409, meaning: "A date in the request is later than the engine's business date" },
  RATE_ABOVE_CAP: { status: 409, meaning: "A rate (or the penalty rate) is above the lending policy's cap" },
  'LOAN.ALREADY_EXISTS': { status: 409, meaning: 'A loan with this id was already originated' },
  'LOAN.ASSESSMENT_AFTER_ORIGINATION': { status: 409, meaning: 'The credit assessment is dated after the origination' },
  'LOAN.RISK_DISCLOSURE_AFTER_ORIGINATION': { status: 409, meaning: 'The risk disclosure was acknowledged after the origination' },
  'LOAN.ALREADY_DISBURSED': { status: 409, meaning: 'The loan was already disbursed (nor can its origination be cancelled)' },
  'LOAN.CANCELLED': { status: 409, meaning: 'The origination was cancelled' },
  'LOAN.NOT_DISBURSED': { status: 409, meaning: 'The loan has not been disbursed' },
  'LOAN.BEFORE_DISBURSEMENT': { status: 409, meaning: 'The date given precedes the disbursement' },
  'LOAN.BACKDATED': { status: 409, meaning: 'The date given precedes something already recorded that it cannot be reconciled with' },
  'LOAN.CLOSED': { status: 409, meaning: 'The loan is paid off or written off' },
  'LOAN.ALREADY_WRITTEN_OFF': { status: 409, meaning: 'The loan is already written off' },
  'LOAN.WRITTEN_OFF': { status: 409, meaning: 'The loan is written off: reverse the write-off first' },
  'PAYMENT.DUPLICATE_ID': { status: 409, meaning: 'A different payment with this id is already recorded' },
  'PAYMENT.BEFORE_DISBURSEMENT': { status: 409, meaning: 'The payment was received before the disbursement' },
  'PAYMENT.BACKDATED_TOO_FAR': { status: 409, meaning: 'The payment was received further back than a backdated payment may be' },
  'PAYMENT.NOT_FOUND': { status: 409, meaning: 'No such payment on the loan' },
  'PAYMENT.ALREADY_REVERSED': { status: 409, meaning: 'The payment was already reversed' },
  'PAYMENT.REVERSAL_BEFORE_PAYMENT': { status: 409, meaning: 'The reversal is dated before the payment' },
  'PAYMENT.BEFORE_RESTRUCTURING_OR_WRITE_OFF': { status: 409, meaning: 'A restructuring or write-off rests on the payment' },
  'PAYMENT.LATER_PAYMENT_STANDS': { status: 409, meaning: 'A later payment stands: reverse it first' },
  'PAYMENT.OVERPAYMENT_REFUNDED': { status: 409, meaning: 'The overpayment the payment left was refunded' },
  'REFUND.DUPLICATE_ID': { status: 409, meaning: 'A refund with this id is already recorded' },
  'REFUND.BEFORE_OVERPAYMENT': { status: 409, meaning: 'The refund is dated before the overpayment it refunds' },
  'REFUND.EXCEEDS_OVERPAYMENT': { status: 409, meaning: 'The refund is more than the overpayment held' },
  'WAIVER.DUPLICATE_ID': { status: 409, meaning: 'A waiver with this id is already recorded' },
  'WAIVER.NO_PENALTY_OUTSTANDING': { status: 409, meaning: 'The loan has no penalty outstanding to waive' },
  'WAIVER.EXCEEDS_PENALTY': { status: 409, meaning: 'The waiver is more than the penalty outstanding' },
  'WAIVER.ALREADY_REVERSED': { status: 409, meaning: 'The waiver was already reversed' },
  'WAIVER.REVERSAL_BEFORE_WAIVER': { status: 409, meaning: 'The reversal is dated before the waiver' },
  'RESTRUCTURING.DUPLICATE_ID': { status: 409, meaning: 'A restructuring with this id is already recorded' },
  'RESTRUCTURING.NO_PRINCIPAL_OUTSTANDING': { status: 409, meaning: 'The loan has no unpaid principal to restructure' },
  'RESTRUCTURING.REVERSAL_BEFORE_EFFECTIVE': { status: 409, meaning: 'The reversal is dated before the restructuring took effect' },
  'RESTRUCTURING.DEPENDED_ON': { status: 409, meaning: 'Payments or other events rest on the new schedule' },
  'WRITE_OFF.REVERSAL_BEFORE_WRITE_OFF': { status: 409, meaning: 'The reversal is dated before the write-off' },
  'WRITE_OFF.RECOVERIES_STAND': { status: 409, meaning: 'Recoveries were received since the write-off: reverse them first' },
  'CONTACT.DUPLICATE_ID': { status: 409, meaning: 'A contact with this id is already recorded' },
  'CONTACT.LOAN_OF_ANOTHER_BORROWER': { status: 409, meaning: 'The loan belongs to another borrower' },
  'RESTRICTION.DUPLICATE_ID': { status: 409, meaning: 'A restriction with this id is already recorded' },
  'COB.DATE_BEFORE_LAST_CLOSE': { status: 409, meaning: 'The business date is before the last one closed' },
  'COB.IN_PROGRESS': {
    status: 409,
    meaning: 'Close of business is running on this store now (another engine, or `arrears cob` beside this one; `details.holder` names it); ask again once it has finished',
  },
  'REPORT.NOT_CLOSED': { status: 409, meaning: 'The date (or month) has not been closed by close of business yet' },
  'REQUEST.TOO_LARGE': { status: 413, meaning: 'The body is larger than `MAX_BODY_BYTES`' },
  'REQUEST.UNSUPPORTED_MEDIA_TYPE': { status: 415, meaning: 'The body is not `application/json`' },
  'REQUEST.RATE_LIMITED': { status: 429, meaning: 'More requests a minute than `RATE_LIMIT_PER_MINUTE` for this key (or address); see `retry-after`' },
  'REQUEST.HEADERS_TOO_LARGE': { status: 431, meaning: 'The request headers are too large' },
  INTERNAL: { status: 500, meaning: 'An unexpected failure; it was logged, the body says nothing more' },
  'STREAM.BUSY': { status: 503, meaning: 'Other writers (other engines on the same store) changed the stream during each of `COMMAND_MAX_ATTEMPTS` attempts; nothing was appended: send the same request (same `Idempotency-Key`) again after `retry-after` seconds' },
  'EVENTS.NOT_FOUND': { status: null, meaning: 'CLI `verify`: no events file at the path given' },
  'SIMULATION.STORE_ALREADY_CLOSED': { status: null, meaning: 'CLI `simulate`: the event store was closed before the simulation ended' },
  'REPLAY.IN_PROGRESS': { status: null, meaning: 'CLI `replay`: another replay is running on this store now (the message names it); run it again once it has finished' },
} as const satisfies Record<string, CatalogueEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** The catalogue as the README shows it, between its markers. */
export function renderErrorCatalogue(): string {
  const rows = Object.entries(ERROR_CATALOGUE).map(([code, { status, meaning }]) => `| \`${code}\` | ${status ?? 'CLI'} | ${meaning} |`);
  return ['| code | HTTP status | meaning |', '|---|---|---|', ...rows].join('\n');
}
