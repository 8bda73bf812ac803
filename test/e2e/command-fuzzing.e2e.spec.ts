import fc from 'fast-check';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { CONTACT_CHANNELS, CONTACT_DIRECTIONS, CONTACT_OUTCOMES, CONTACT_PARTIES } from '../../src/collections/domain/contact-vocabulary.js';
import { EVENT_STORE, type EventStore } from '../../src/kernel/event-store/event-store.port.js';
import { IDENTITY_DOCUMENT_TYPES } from '../../src/loans/domain/borrower-identity.js';
import { RESTRUCTURING_REASONS } from '../../src/loans/domain/loan-events.js';
import { REPAYMENT_METHODS } from '../../src/loans/domain/repayment-method.js';
import { PREPAYMENT_OPTIONS } from '../../src/loans/domain/prepayment-option.js';
import { disbursementRequest, originationRequest, paymentRequest } from '../fixtures/loan-requests.js';
import { createTestApp } from '../support/test-app.js';
import { testConfig } from '../support/test-config.js';

/*
 * Thousands of malformed commands against every command route. Each generated request
 * starts from a body the route accepts (checked by the last test) and breaks at least
 * one part of it, so a 2xx is a validation hole and a 5xx an unhandled input; either way
 * the event log must not grow.
 */

// Enough runs that the whole file sends a few thousand requests and still ends within a minute on two cores.
const RUNS_PER_ROUTE = 500;
const RUNS_PER_CROSS_ROUTE_ATTACK = 500;
const PROPERTY_TIMEOUT_MS = 120_000;
/**
 * fast-check parameters from the environment: FUZZ='{"seed":-41248886,"path":"97"}' replays
 * a failure as printed, FUZZ='{"numRuns":5000}' searches longer.
 */
const FUZZ_OVERRIDES = JSON.parse(process.env['FUZZ'] ?? '{}') as Partial<fc.Parameters<unknown>>;

/** Marks a field for deletion rather than a value. */
const ABSENT = Symbol('absent');
/** Marks a nested object to be sent as an array holding it, `[{ …valid fields }]`. */
const IN_AN_ARRAY = Symbol('in an array');
/** JSON text placed verbatim into a body: numbers JSON.stringify cannot write (1e309), nesting it would recurse through. */
class RawJson {
  constructor(readonly text: string) {}
  [fc.toStringMethod](): string {
    return this.text.length > 60 ? `RawJson(${this.text.slice(0, 30)}… ${this.text.length} chars)` : `RawJson(${this.text})`;
  }
}

// ---------------------------------------------------------------------------------------
// Invalid values, by the kind of field they attack.
// ---------------------------------------------------------------------------------------

/** Long strings are built by repetition: generating 100k random characters per run would dominate the run time. */
const repeated = (minLength: number, maxLength: number, chars: readonly string[] = ['a', 'Z', '9', '-', '.']) =>
  fc.tuple(fc.oneof(fc.integer({ min: minLength, max: maxLength }), fc.constant(maxLength)), fc.constantFrom(...chars)).map(([n, c]) => c.repeat(n));

const deeplyNested = fc.oneof(
  fc.integer({ min: 1_000, max: 120_000 }).map((depth) => new RawJson(`${'['.repeat(depth)}${']'.repeat(depth)}`)),
  fc.integer({ min: 1_000, max: 40_000 }).map((depth) => new RawJson(`${'{"a":'.repeat(depth)}0${'}'.repeat(depth)}`)),
);

const rawNumber = fc.constantFrom('1e309', '-1e309', '1E400', '123456789012345678901234567890', '-0.0000000000000000000000001').map((t) => new RawJson(t));

const hugeNumber = fc.constantFrom(1e308, -1e308, 2 ** 53 + 1, -(2 ** 53 + 1), Number.MAX_VALUE, -Number.MAX_VALUE);

const nonString = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  hugeNumber,
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
  rawNumber,
  deeplyNested,
);

const nonNumber = fc.oneof(
  fc.constantFrom('12', '12.5', 'NaN', 'Infinity', '-Infinity', '1e3', '', ' 7'),
  fc.string({ maxLength: 6 }),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom([], {}, [12], { value: 12 }),
  rawNumber.filter((raw) => raw.text.includes('e') || raw.text.includes('E')),
  deeplyNested,
);

const nonBoolean = fc.oneof(fc.constantFrom('true', 'false', 'yes', '', 1, 0, null, [], {}, [true]), nonString.filter((v) => typeof v !== 'boolean'));

const nonObject = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), hugeNumber, fc.boolean(), fc.constant(null), fc.constantFrom([], [{}]), deeplyNested);

const CLIENT_ID_CHARS = /^[A-Za-z0-9._:-]*$/;
const ID_CHARS = ['A', 'z', '0', '.', '_', ':', '-'];
const notAnIdChar = fc.oneof(
  fc.constantFrom(' ', '/', '\\', '?', '#', '%', '"', "'", '<', '>', '&', '\u0000', '\n', '\t', 'é', 'Ł', '中', '💸', '\u202e', '\ufeff', '\ud800'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }).filter((c) => !CLIENT_ID_CHARS.test(c)),
);
const idPart = fc.string({ unit: fc.constantFrom(...ID_CHARS), maxLength: 10 });

/** Anything but 1–64 characters of A-Z a-z 0-9 . _ : - */
const invalidIdText = fc.oneof(
  fc.constantFrom('', ' ', 'L 1', ' L-1', 'L-1 ', 'L/1', '贷款-1', "L-1'; DROP TABLE events;--", 'L-1?x=1', '<script>'),
  fc.tuple(idPart, notAnIdChar, idPart).map((parts) => parts.join('')),
  repeated(65, 100_000, ID_CHARS),
);
const invalidId = fc.oneof(invalidIdText, nonString);

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
const isRealDate = (y: number, m: number, d: number) => m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Not a calendar date YYYY-MM-DD: impossible days and months, other shapes, other types. */
const invalidDate = fc.oneof(
  fc.constantFrom(
    '2026-02-30', '2026-13-01', '2026-1-1', '2026-00-10', '2026-01-00', '2026-01-32', '2025-02-29', '2100-02-29', '20260110', '2026/01/10',
    '10/01/2026', '2026-01-10T00:00:00Z', ' 2026-01-10', '2026-01-10 ', '+002026-01-10', '-2026-01-10', '2026-W02-6', '2026-010', 'yesterday',
    'NaN', 'Infinity', '', '２０２６-01-10',
  ),
  fc
    .record({ y: fc.integer({ min: 0, max: 9999 }), m: fc.integer({ min: 0, max: 99 }), d: fc.integer({ min: 0, max: 99 }) })
    .filter(({ y, m, d }) => !isRealDate(y, m, d))
    .map(({ y, m, d }) => `${pad(y, 4)}-${pad(m)}-${pad(d)}`),
  repeated(11, 100_000, ['2', '0', '-']),
  nonString,
);

/** Not an RFC 3339 instant: no offset, impossible fields (hour 24, minute 60, offset +24:00), other shapes. */
const invalidInstant = fc.oneof(
  fc.constantFrom(
    '2026-03-02T24:00:00+08:00', '2026-03-02T24:00+08:00', '2026-03-02T10:00:00', '2026-03-02 10:00:00+08:00', '2026-03-02t10:00:00z',
    '2026-03-02T10:00:00+0800', '2026-03-02T10:00:00+08', '2026-02-30T10:00:00+08:00', '2026-03-02T10:00:00.1234567890+08:00',
    '2026-03-02T10:00:00+08:00[Asia/Shanghai]', '2026-03-02', '10:00:00+08:00', 'now', 'NaN', '', '1772416800000',
  ),
  fc
    .record({
      // The edges (24:00 is midnight in some parsers and nothing in others) more often than chance would pick them.
      h: fc.oneof(fc.constantFrom(0, 23, 24, 25), fc.integer({ min: 0, max: 99 })),
      min: fc.oneof(fc.constantFrom(0, 59, 60), fc.integer({ min: 0, max: 99 })),
      s: fc.option(fc.oneof(fc.constantFrom(0, 59, 60, 61), fc.integer({ min: 0, max: 99 }))),
      sign: fc.constantFrom('+', '-'),
      offsetH: fc.oneof(fc.constantFrom(0, 8, 14, 23, 24), fc.integer({ min: 0, max: 99 })),
      offsetMin: fc.oneof(fc.constantFrom(0, 59, 60), fc.integer({ min: 0, max: 99 })),
    })
    // A leap second (:60) is legal in RFC 3339, so it never counts as the broken part on its own.
    .filter(({ h, min, s, offsetH, offsetMin }) => h > 23 || min > 59 || (s ?? 0) > 60 || offsetH > 23 || offsetMin > 59)
    .map(({ h, min, s, sign, offsetH, offsetMin }) => `2026-03-02T${pad(h)}:${pad(min)}${s === null ? '' : `:${pad(s)}`}${sign}${pad(offsetH)}:${pad(offsetMin)}`),
  invalidDate.filter((d) => typeof d === 'string').map((d) => `${d as string}T10:00:00+08:00`),
  nonString,
);

/** No IANA zone contains "~", so a generated name can never happen to be a real one. */
const invalidTimeZone = fc.oneof(
  fc.constantFrom('Mars/Olympus', 'Asia/Shanghaii', 'Asia/Beijing', '', ' Asia/Shanghai', 'Asia/Shanghai ', 'UTC+8', 'GMT+08:00', '+08:00', 'Z', 'localtime', 'Asia/Shanghai\u0000'),
  fc.string({ maxLength: 20 }).map((s) => `${s}~`),
  repeated(100, 100_000, ['A', '/']),
  nonString,
);

const invalidCurrency = fc.oneof(fc.constantFrom('cny', 'Cny', 'CN', 'CNYY', 'XXX', 'ABC', 'RMB', '¥', ' CNY', '', 'C1Y'), repeated(4, 100_000, ['C', 'N']), nonString);

/** Not a positive decimal string the currency can hold (CNY: two decimals). */
const invalidAmountText = fc.oneof(
  fc.constantFrom(
    '1.001', '-5.00', '0', '0.00', 'NaN', 'Infinity', '-Infinity', '1e3', '1E3', '+5.00', ' 5.00', '5.00 ', '5,00', '1,000.00', '01.00', '.50',
    '5.', '0x10', '99999999999999999999999.99', '9999999999999999.99', '9007199254740993', '', '¥5.00', '５.00',
  ),
  fc.tuple(fc.nat(), fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 2, maxLength: 30 }), fc.integer({ min: 1, max: 9 })).map(
    ([whole, digits, last]) => `${whole}.${digits}${last}`,
  ),
  fc.tuple(fc.nat(), fc.nat({ max: 99 })).map(([whole, cents]) => `-${whole}.${pad(cents)}`),
  repeated(17, 100_000, ['9']),
  fc.double({ min: 0.01, max: 1e9, noNaN: true }),
);
const invalidAmount = fc.oneof(invalidAmountText, nonString);

/** Not an annual rate as a decimal string, or one above every lending policy's cap. */
const invalidRate = fc.oneof(
  fc.constantFrom('-0.18', '18%', '0.18 ', '.18', '0,18', '1e-1', 'NaN', 'Infinity', '0.12345678901', '', '99999999999999999999999.99', '0.37', '1'),
  repeated(12, 100_000, ['9']),
  fc.double({ min: 0, max: 1, noNaN: true }),
  nonString,
);

const invalidInt = (min: number, max: number) =>
  fc.oneof(
    fc.integer({ min: Number.MIN_SAFE_INTEGER, max: min - 1 }),
    fc.integer({ min: max + 1, max: Number.MAX_SAFE_INTEGER }),
    fc.double({ min: min - 100, max: max + 100, noNaN: true }).filter((x) => !Number.isInteger(x)),
    fc.constantFrom(min + 0.5, min - 1, max + 1, 12.5),
    hugeNumber,
    nonNumber,
  );

const invalidScore = fc.oneof(
  fc.double({ min: 1e9 + 1, max: Number.MAX_VALUE, noNaN: true }),
  fc.double({ min: -Number.MAX_VALUE, max: -1e9 - 1, noNaN: true }),
  hugeNumber,
  nonNumber,
);

const invalidEnum = (values: readonly string[]) =>
  fc.oneof(
    fc
      .constantFrom(...values)
      .chain((v) => fc.constantFrom(v.toUpperCase(), ` ${v}`, `${v} `, v.replaceAll('-', '_'), `${v}s`, `${v}\u0000`))
      // "reached" stays "reached" with its hyphens replaced.
      .filter((near) => !values.includes(near)),
    fc.constantFrom('', 'null', 'undefined', 'fax', 'pigeon', 'balloon', 'equal-instalment', 'cease', 'whatever'),
    fc.string({ maxLength: 12 }).map((s) => `x-${s}`),
    repeated(100, 100_000),
    nonString,
  );

/** A string field of `min`–`max` characters: empty where one is required, too long, or not a string. */
const invalidText = (min: number, max: number) =>
  fc.oneof(...(min > 0 ? [fc.constant('')] : []), repeated(max + 1, Math.max(100_000, max + 1), ['a', ' ', '字']), nonString);

// An array passes @ValidateNested() item by item, so [] and [{ …valid }] get a share of their own.
const invalidObject = fc.oneof(nonObject, fc.constantFrom({}, [], IN_AN_ARRAY));

/** Not E.164: no plus, a leading zero, spaces, too short or too long. */
const invalidPhone = fc.oneof(
  fc.constantFrom('8613800138000', '+08613800138', '+86 138 0013 8000', '+86-138-0013-8000', '+12345', '+1234567890123456', '', '+', 'phone'),
  fc.tuple(fc.constant('+86'), notAnIdChar, fc.constant('13800138000')).map((parts) => parts.join('')),
  repeated(16, 100_000, ['1']).map((digits) => `+${digits}`),
  nonString,
);

/** Not 4–32 characters of A-Z a-z 0-9 - */
const invalidDocumentNumber = fc.oneof(
  fc.constantFrom('', 'abc', '1101 0119 9003', '110101.19900307', '110101_19900307', 'Ł1101011990'),
  fc.tuple(fc.string({ unit: fc.constantFrom('1', 'X', '-'), minLength: 4, maxLength: 10 }), notAnIdChar).map((parts) => parts.join('')),
  repeated(33, 100_000, ['1', 'X', '-']),
  nonString,
);

/** The fields' arbitraries that also leave the field out: checked against the API's required fields by the last tests. */
const REQUIRED = new WeakSet<fc.Arbitrary<unknown>>();
const required = <T>(arb: fc.Arbitrary<T>) => {
  const orAbsent = fc.oneof({ arbitrary: arb, weight: 5 }, { arbitrary: fc.constant(ABSENT), weight: 1 });
  REQUIRED.add(orAbsent);
  return orAbsent;
};

// ---------------------------------------------------------------------------------------
// The command routes: a body each accepts in the fixture's state, and how to break each field.
// ---------------------------------------------------------------------------------------

type Patch = Readonly<Record<string, unknown>>;

interface CommandRoute {
  readonly name: string;
  /** Path parameters and their valid values in the fixture. */
  readonly params: Readonly<Record<string, string>>;
  readonly url: (params: Readonly<Record<string, string>>) => string;
  /** Accepted as it is (the last test proves it), so any refusal is owed to what was broken. */
  readonly valid: () => Record<string, unknown>;
  /** Every field of the DTO by dotted path, with values it must refuse; optional fields too, so no "unknown" field is a real one. */
  readonly fields: Readonly<Record<string, fc.Arbitrary<unknown>>>;
  /** Fields each valid on its own that the command refuses together. */
  readonly crossField: readonly Patch[];
}

const loanUrl = (suffix: string) => (p: Readonly<Record<string, string>>) => `/loans/${p['loanId']}/${suffix}`;
const borrowerUrl = (suffix: string) => (p: Readonly<Record<string, string>>) => `/borrowers/${p['borrowerId']}/${suffix}`;

// The fixture: L-1 disbursed, paid once (P-1) and closed through 2026-03-20 (so it owes penalty);
// L-2 originated, not yet disbursed. Every valid body is dated after that.
const LAST_CLOSED = '2026-03-20';
const NEXT_DAY = '2026-03-21';

const ROUTES: readonly CommandRoute[] = [
  {
    name: 'POST /loans',
    params: {},
    url: () => '/loans',
    valid: () => ({
      ...structuredClone(originationRequest('L-FUZZ', 'B-1')),
      borrower: { name: 'Li Wei', phone: '+8613800138000', identityDocument: { type: 'national-id', number: '110101199003074512' } },
    }),
    fields: {
      loanId: invalidId,
      borrowerId: required(invalidId),
      borrowerTimeZone: required(invalidTimeZone),
      currency: required(invalidCurrency),
      principal: required(invalidAmount),
      annualInterestRate: required(invalidRate),
      termMonths: required(invalidInt(1, 360)),
      repaymentMethod: required(invalidEnum(REPAYMENT_METHODS)),
      originatedOn: required(invalidDate),
      gracePeriodDays: invalidInt(0, 90),
      penaltyAnnualRate: invalidRate,
      creditAssessment: required(invalidObject),
      'creditAssessment.score': required(invalidScore),
      'creditAssessment.grade': required(invalidText(1, 16)),
      'creditAssessment.source': required(invalidText(1, 64)),
      'creditAssessment.assessedOn': required(invalidDate),
      riskDisclosure: required(invalidObject),
      'riskDisclosure.version': required(invalidText(1, 64)),
      'riskDisclosure.acceptedAt': required(invalidInstant),
      borrower: invalidObject,
      'borrower.name': required(invalidText(1, 200)),
      'borrower.phone': invalidPhone,
      'borrower.identityDocument': invalidObject,
      'borrower.identityDocument.type': required(invalidEnum(IDENTITY_DOCUMENT_TYPES)),
      'borrower.identityDocument.number': required(invalidDocumentNumber),
    },
    crossField: [
      { currency: 'JPY' }, // the principal has decimals a yen amount cannot
      { 'riskDisclosure.acceptedAt': '2026-01-11T09:00:00+08:00' }, // accepted after origination
      { 'creditAssessment.assessedOn': '2026-01-11' }, // assessed after origination
      { loanId: 'L-1', principal: '5000.00' }, // the id of the fixture's loan, with other terms
    ],
  },
  {
    name: 'POST /loans/{loanId}/disbursements',
    params: { loanId: 'L-2' },
    url: loanUrl('disbursements'),
    valid: () => ({ disbursedOn: '2026-01-15', reference: 'wire-2' }),
    fields: { disbursedOn: required(invalidDate), reference: required(invalidText(1, 128)) },
    crossField: [{ disbursedOn: '2026-01-09' }], // before origination
  },
  {
    name: 'POST /loans/{loanId}/payments',
    params: { loanId: 'L-1' },
    url: loanUrl('payments'),
    valid: () => paymentRequest('P-FUZZ', '100.00', NEXT_DAY),
    fields: {
      paymentId: required(invalidId),
      amount: required(invalidAmount),
      receivedOn: required(invalidDate),
      channel: required(invalidText(1, 32)),
      reference: required(invalidText(1, 128)),
      prepayment: invalidEnum(PREPAYMENT_OPTIONS),
    },
    crossField: [{ paymentId: 'P-1' }, { receivedOn: '2026-01-14' }],
  },
  {
    name: 'POST /loans/{loanId}/refunds',
    params: { loanId: 'L-3' },
    url: loanUrl('refunds'),
    valid: () => ({ refundId: 'RF-FUZZ', amount: '0.01', refundedOn: NEXT_DAY, reference: 'wire-back-1' }),
    fields: {
      refundId: required(invalidId),
      amount: required(invalidAmount),
      refundedOn: required(invalidDate),
      reference: required(invalidText(1, 128)),
    },
    crossField: [{ amount: '1000000.00' }, { refundedOn: '2026-01-14' }], // more than is held; before disbursement
  },
  {
    name: 'POST /loans/{loanId}/payments/{paymentId}/reversals',
    params: { loanId: 'L-1', paymentId: 'P-1' },
    url: (p) => `/loans/${p['loanId']}/payments/${p['paymentId']}/reversals`,
    valid: () => ({ reason: 'chargeback', reversedOn: NEXT_DAY }),
    fields: { reason: required(invalidText(1, 500)), reversedOn: required(invalidDate) },
    crossField: [{ reversedOn: '2026-02-14' }], // before the payment
  },
  {
    name: 'POST /loans/{loanId}/restructurings',
    params: { loanId: 'L-1' },
    url: loanUrl('restructurings'),
    valid: () => ({ restructuringId: 'RS-FUZZ', effectiveOn: NEXT_DAY, reason: 'hardship', termMonths: 24, capitalise: false }),
    fields: {
      restructuringId: required(invalidId),
      effectiveOn: required(invalidDate),
      reason: required(invalidEnum(RESTRUCTURING_REASONS)),
      termMonths: invalidInt(1, 480),
      annualInterestRate: invalidRate,
      paymentHolidayMonths: invalidInt(0, 24),
      capitalise: required(nonBoolean),
    },
    crossField: [
      { termMonths: ABSENT }, // no new term at all
      { effectiveOn: '2026-03-01' }, // before penalty already accrued
    ],
  },
  {
    name: 'POST /loans/{loanId}/penalty-waivers',
    params: { loanId: 'L-1' },
    url: loanUrl('penalty-waivers'),
    valid: () => ({ waiverId: 'WV-FUZZ', waivedOn: NEXT_DAY, amount: '0.01', reason: 'hardship programme', approvedBy: 'collections-manager:li.wei' }),
    fields: {
      waiverId: required(invalidId),
      waivedOn: required(invalidDate),
      amount: required(invalidAmount),
      reason: required(invalidText(1, 500)),
      approvedBy: required(invalidText(1, 128)),
    },
    crossField: [{ amount: '1000000.00' }, { amount: 'ALL' }],
  },
  {
    name: 'POST /loans/{loanId}/write-offs',
    params: { loanId: 'L-1' },
    url: loanUrl('write-offs'),
    valid: () => ({ writeOffId: 'WO-FUZZ', writtenOffOn: NEXT_DAY, reason: 'uncollectable' }),
    fields: { writeOffId: required(invalidId), writtenOffOn: required(invalidDate), reason: required(invalidText(1, 500)) },
    crossField: [{ writtenOffOn: '2026-01-14' }],
  },
  {
    name: 'POST /loans/{loanId}/cancellation',
    params: { loanId: 'L-2' },
    url: loanUrl('cancellation'),
    valid: () => ({ cancelledOn: NEXT_DAY, reason: 'declined by the borrower' }),
    fields: { cancelledOn: required(invalidDate), reason: required(invalidText(1, 500)) },
    crossField: [{ cancelledOn: '2026-01-09' }], // before the origination
  },
  {
    name: 'POST /loans/{loanId}/penalty-waivers/{waiverId}/reversals',
    params: { loanId: 'L-4', waiverId: 'WV-4' },
    url: (p) => `/loans/${p['loanId']}/penalty-waivers/${p['waiverId']}/reversals`,
    valid: () => ({ reason: 'granted in error', reversedOn: NEXT_DAY }),
    fields: { reason: required(invalidText(1, 500)), reversedOn: required(invalidDate) },
    crossField: [{ reversedOn: '2026-03-19' }], // before the waiver
  },
  {
    name: 'POST /loans/{loanId}/write-offs/{writeOffId}/reversals',
    params: { loanId: 'L-5', writeOffId: 'WO-5' },
    url: (p) => `/loans/${p['loanId']}/write-offs/${p['writeOffId']}/reversals`,
    valid: () => ({ reason: 'borrower found', reversedOn: NEXT_DAY }),
    fields: { reason: required(invalidText(1, 500)), reversedOn: required(invalidDate) },
    crossField: [{ reversedOn: '2026-03-19' }], // before the write-off
  },
  {
    name: 'POST /loans/{loanId}/restructurings/{restructuringId}/reversals',
    params: { loanId: 'L-6', restructuringId: 'RS-6' },
    url: (p) => `/loans/${p['loanId']}/restructurings/${p['restructuringId']}/reversals`,
    valid: () => ({ reason: 'keyed on the wrong loan', reversedOn: NEXT_DAY }),
    fields: { reason: required(invalidText(1, 500)), reversedOn: required(invalidDate) },
    crossField: [{ reversedOn: '2026-03-19' }], // before it took effect
  },
  {
    name: 'POST /borrowers/{borrowerId}/collection-contacts',
    params: { borrowerId: 'B-1' },
    url: borrowerUrl('collection-contacts'),
    valid: () => ({
      contactId: 'C-FUZZ',
      loanId: 'L-1',
      at: '2026-03-02T10:00:00+08:00',
      channel: 'phone',
      party: 'borrower',
      direction: 'outbound',
      connected: true,
      outcome: 'reached',
      agentId: 'agent-7',
      note: 'spoke to the borrower',
    }),
    fields: {
      contactId: required(invalidId),
      loanId: required(invalidId),
      at: required(invalidInstant),
      channel: required(invalidEnum(CONTACT_CHANNELS)),
      party: required(invalidEnum(CONTACT_PARTIES)),
      direction: required(invalidEnum(CONTACT_DIRECTIONS)),
      connected: required(nonBoolean),
      outcome: required(invalidEnum(CONTACT_OUTCOMES)),
      address: invalidText(1, 128),
      personReached: invalidText(1, 128),
      purpose: invalidEnum(['location-information', 'other']),
      repeatReason: invalidEnum(['requested-by-third-party', 'earlier-answer-believed-wrong']),
      agentId: required(invalidText(1, 64)),
      note: invalidText(0, 2000),
      promise: invalidObject,
      'promise.amount': required(invalidAmount),
      'promise.dueOn': required(invalidDate),
    },
    crossField: [
      { outcome: 'promise-to-pay' }, // without the promise
      { promise: { amount: '100.00', dueOn: '2026-03-10' } }, // a promise with another outcome
      { outcome: 'promise-to-pay', promise: { amount: '100.00', dueOn: '2026-03-01' } }, // due before it was made
      { outcome: 'promise-to-pay', promise: { amount: '0.00', dueOn: '2026-03-10' } },
      { at: '2099-01-01T00:00:00Z' }, // has not happened yet
      { loanId: 'L-404' },
    ],
  },
  {
    name: 'POST /borrowers/{borrowerId}/time-zones',
    params: { borrowerId: 'B-1' },
    url: borrowerUrl('time-zones'),
    valid: () => ({ timeZone: 'America/Los_Angeles', from: '2026-03-02T10:00:00+08:00' }),
    fields: { timeZone: required(invalidTimeZone), from: invalidInstant },
    crossField: [{ from: '2099-01-01T00:00:00Z' }], // the borrower has not moved yet
  },
  {
    name: 'POST /borrowers/{borrowerId}/contact-restrictions',
    params: { borrowerId: 'B-1' },
    url: borrowerUrl('contact-restrictions'),
    valid: () => ({ restrictionId: 'R-FUZZ', restriction: 'cease-all', reason: 'the borrower asked' }),
    fields: {
      restrictionId: required(invalidId),
      restriction: required(invalidEnum(['cease-all', 'channel-opt-out'])),
      channel: invalidEnum(CONTACT_CHANNELS),
      requestedAt: invalidInstant,
      reason: invalidText(0, 500),
    },
    crossField: [
      { restriction: 'channel-opt-out' }, // a channel for, and only for, an opt-out
      { channel: 'sms' },
      { requestedAt: '2099-01-01T00:00:00Z' }, // the borrower has not asked yet
    ],
  },
  {
    name: 'POST /close-of-business',
    params: {},
    url: () => '/close-of-business',
    valid: () => ({ businessDate: NEXT_DAY }),
    fields: { businessDate: required(invalidDate) },
    crossField: [{ businessDate: '2026-03-19' }], // before the last close
  },
];

// ---------------------------------------------------------------------------------------
// Building requests.
// ---------------------------------------------------------------------------------------

interface FuzzRequest {
  readonly route: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[]>>;
  readonly payload?: string | Buffer;
  /** What was broken, when the body alone does not show it. */
  readonly broken?: string;
}

/** fast-check prints a counterexample with this: 100k-character fields and 100k-deep nesting shortened. */
function printable(request: FuzzRequest): FuzzRequest {
  return Object.defineProperty({ ...request }, fc.toStringMethod, { value: () => describeRequest(request), enumerable: false });
}

function describeRequest(request: FuzzRequest): string {
  const short = (text: string) => (text.length > 300 ? `${text.slice(0, 300)}… (${text.length} chars)` : text);
  const payload = request.payload === undefined ? '(none)' : Buffer.isBuffer(request.payload) ? `bytes ${short(request.payload.toString('hex'))}` : short(request.payload);
  const broken = request.broken ? ` (broken: ${short(request.broken)})` : '';
  return `${request.route}: POST ${short(request.url)} headers ${short(JSON.stringify(request.headers))} body ${payload}${broken}`;
}

/** Own enumerable properties even for "__proto__" and "constructor", so they reach the server as JSON keys. */
const define = (target: Record<string, unknown>, key: string, value: unknown) =>
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });

function setPath(body: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = body;
  for (const key of path.slice(0, -1)) {
    const next = Object.hasOwn(node, key) ? node[key] : undefined;
    const isPlainObject = typeof next === 'object' && next !== null && !Array.isArray(next) && !(next instanceof RawJson);
    // Copied, as generated values are shared between runs; a parent already broken into a
    // non-object is replaced, so the inner attack still lands (and the parent stays incomplete).
    define(node, key, isPlainObject ? { ...next } : {});
    node = node[key] as Record<string, unknown>;
  }
  const last = path.at(-1)!;
  if (value === ABSENT) delete node[last];
  else if (value === IN_AN_ARRAY) define(node, last, [node[last] ?? {}]);
  else define(node, last, value);
}

function toJsonText(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) => (v instanceof RawJson ? `\u0000raw:${raws.push(v.text) - 1}\u0000` : v));
  return text.replace(/"\\u0000raw:(\d+)\\u0000"/g, (_, index: string) => raws[Number(index)]!);
}

const JSON_TYPE = { 'content-type': 'application/json' };
const urlOf = (route: CommandRoute, params: Readonly<Record<string, string>> = route.params) => route.url(params);

const jsonRequest = (route: CommandRoute, body: unknown, extra: Partial<FuzzRequest> = {}): FuzzRequest =>
  printable({ route: route.name, url: urlOf(route), headers: JSON_TYPE, payload: toJsonText(body), ...extra });

const extraKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'kind', 'policy', 'actor', 'id', 'isAdmin', 'LoanId', 'loan_id', ''),
  fc.string({ maxLength: 16 }),
);
const extraValue = fc.oneof(fc.jsonValue({ maxDepth: 2 }), deeplyNested, repeated(1, 100_000));

interface BrokenBody {
  readonly crossField: Patch | null;
  readonly attacks: readonly (readonly [path: string, value: unknown])[];
  /** Unknown fields, at the top or inside a nested object (`parent` '' is the top). */
  readonly extras: readonly (readonly [parent: string, key: string, value: unknown])[];
}

/** At least one part of a valid body broken: fields set to values they must refuse or left out, a refused combination, unknown fields. */
function brokenBody(route: CommandRoute): fc.Arbitrary<BrokenBody> {
  const paths = Object.keys(route.fields);
  const objectPaths = ['', ...paths.filter((path) => paths.some((other) => other.startsWith(`${path}.`)))];
  const attack = fc.constantFrom(...paths).chain((path) => route.fields[path]!.map((value) => [path, value] as const));
  const extra = fc
    .tuple(fc.constantFrom(...objectPaths), extraKey, extraValue)
    .filter(([parent, key]) => !paths.includes(parent ? `${parent}.${key}` : key));
  const none = { crossField: null, attacks: [], extras: [] };
  // Mostly one fault at a time: with two, the first to fail validation hides what the
  // second would do further in (a 500 in a decider is only reached past every check).
  return fc.oneof(
    { weight: 6, arbitrary: attack.map((one) => ({ ...none, attacks: [one] })) },
    { weight: 1, arbitrary: fc.constantFrom(...route.crossField).map((crossField) => ({ ...none, crossField })) },
    { weight: 1, arbitrary: extra.map((one) => ({ ...none, extras: [one] })) },
    {
      weight: 2,
      arbitrary: fc
        .record({
          crossField: fc.option(fc.constantFrom(...route.crossField)),
          attacks: fc.uniqueArray(attack, { maxLength: 3, selector: ([path]) => path }),
          extras: fc.array(extra, { maxLength: 2 }),
        })
        .filter(({ crossField, attacks, extras }) => crossField !== null || attacks.length + extras.length > 0),
    },
  );
}

function describeBroken({ crossField, attacks, extras }: BrokenBody): string {
  const value = (v: unknown) =>
    v === ABSENT ? 'left out' : v === IN_AN_ARRAY ? 'its valid value in an array' : v instanceof RawJson ? v[fc.toStringMethod]() : fc.stringify(v).slice(0, 60);
  return [
    ...(crossField ? [`together ${Object.entries(crossField).map(([path, v]) => `${path}=${value(v)}`).join(' ')}`] : []),
    ...attacks.map(([path, v]) => `${path}=${value(v)}`),
    ...extras.map(([parent, key, v]) => `unknown ${parent ? `${parent}.` : ''}${JSON.stringify(key)}=${value(v)}`),
  ].join('; ');
}

function applyBroken(route: CommandRoute, { crossField, attacks, extras }: BrokenBody): Record<string, unknown> {
  const body = route.valid();
  // The combination first: a field attack after it always leaves its own field broken.
  for (const [path, value] of Object.entries(crossField ?? {})) setPath(body, path.split('.'), value);
  for (const [path, value] of attacks) setPath(body, path.split('.'), value);
  for (const [parent, key, value] of extras) setPath(body, [...(parent ? parent.split('.') : []), key], value);
  return body;
}

/** Whole payloads that are not one JSON object under application/json. */
function brokenPayload(route: CommandRoute): fc.Arbitrary<FuzzRequest> {
  const text = toJsonText(route.valid());
  const raw = (payload: string | Buffer, headers: Record<string, string> = JSON_TYPE): FuzzRequest => printable({ route: route.name, url: urlOf(route), headers, payload });
  return fc.oneof(
    fc.nat({ max: text.length - 1 }).map((end) => raw(text.slice(0, end))), // truncated
    fc.constantFrom(
      text.replace(/}$/, ',}'),
      text.replace(/^\{/, '{,'),
      text.replace(/":/, '"'),
      text.replaceAll('"', "'"),
      `// a comment\n${text}`,
      text.replace(/:("[^"]*"|true|false|\d+)/, ':NaN'),
      text.replace(/:("[^"]*"|true|false|\d+)/, ':undefined'),
      text.replace(/"(\w+)":/, '$1:'),
      `${text}${text}`,
      `${text}}`,
      `{${text}`,
      '',
      '{',
      '}',
      'null',
      '0',
      '-1e309',
      '"a string"',
      'true',
      '[]',
      `[${text}]`,
      '{"__proto__":{"isAdmin":true}}',
      `{"constructor":{"prototype":{"isAdmin":true}},${text.slice(1)}`,
    ).map((payload) => raw(payload)),
    fc.constantFrom(Buffer.from([0xff, 0xfe]), Buffer.from([0xc3])).map((bad) => raw(Buffer.concat([bad, Buffer.from(text)]))), // not UTF-8
    fc
      .constantFrom(
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=fuzz',
        'application/xml',
        'application/octet-stream',
        'application/vnd.api+json',
        'application/jsonx',
        'json',
        '',
      )
      .map((contentType) => raw(text, { 'content-type': contentType })),
    fc.constant(raw(text, {})), // no content type
    deeplyNested.map((nested) => raw(nested.text)),
    // Above the body limit (413) or just under it.
    fc.integer({ min: 200 * 1024, max: 2 * 1024 * 1024 }).map((size) => raw(toJsonText({ ...route.valid(), padding: 'x'.repeat(size) }))),
  );
}

const invalidHeaderValue = fc.oneof(
  fc.constantFrom('', ' ', 'a b', '../../etc/passwd', 'a/b', 'a,b', 'a;b', "a'b", '<x>', 'ключ', 'κλειδί', '💸', 'a\tb', '%41'),
  fc.tuple(idPart, notAnIdChar.filter((c) => c !== '\n' && c !== '\u0000' && c !== '\r'), idPart).map((parts) => parts.join('')),
  repeated(201, 8_000, ID_CHARS),
  fc.tuple(fc.constant('key-1'), fc.constant('key-2')).map((values) => [...values]),
);
const COMMAND_HEADERS = ['Idempotency-Key', 'idempotency-key', 'X-Correlation-Id', 'x-correlation-id', 'X-Causation-Id'];

/** Path parameter values that are not ids, written into the URL encoded or as they are. */
const invalidPathParam = fc.oneof(
  invalidIdText.filter((t) => t.length > 0 && !/[\ud800-\udfff]/.test(t)).map((t) => encodeURIComponent(t)),
  fc.constantFrom('..', '.', '%', '%zz', '%00', 'a%2Fb', '%2e%2e', 'L-1%20', '%F0%9F%92%B8', '%ED%A0%80', '%FF', 'L-1;x=1', ' L-1'),
  repeated(65, 5_000, ['L', '1']),
);

// ---------------------------------------------------------------------------------------
// The suite.
// ---------------------------------------------------------------------------------------

async function openFixture(): Promise<{ app: NestFastifyApplication; store: EventStore }> {
  // The default per-key rate limit would answer 429 before validation is reached.
  const app = await createTestApp(testConfig({ RATE_LIMIT_PER_MINUTE: '10000000' }));
  const setup: [string, object][] = [
    ['/loans', originationRequest('L-1', 'B-1')],
    ['/loans/L-1/disbursements', disbursementRequest],
    ['/loans/L-1/payments', paymentRequest('P-1', '1100.16', '2026-02-15')],
    // Overdue through the close: penalty to waive, and a waiver to reverse.
    ['/loans', originationRequest('L-4', 'B-1')],
    ['/loans/L-4/disbursements', disbursementRequest],
    ['/close-of-business', { businessDate: LAST_CLOSED }],
    ['/loans/L-4/penalty-waivers', { waiverId: 'WV-4', waivedOn: LAST_CLOSED, amount: 'all', reason: 'goodwill', approvedBy: 'manager' }],
    // A write-off and a restructuring to reverse.
    ['/loans', originationRequest('L-5', 'B-1')],
    ['/loans/L-5/disbursements', disbursementRequest],
    ['/loans/L-5/write-offs', { writeOffId: 'WO-5', writtenOffOn: LAST_CLOSED, reason: 'fraud' }],
    ['/loans', originationRequest('L-6', 'B-1')],
    ['/loans/L-6/disbursements', disbursementRequest],
    ['/loans/L-6/restructurings', { restructuringId: 'RS-6', effectiveOn: LAST_CLOSED, reason: 'hardship', termMonths: 24, capitalise: false }],
    ['/loans', originationRequest('L-2', 'B-1')],
    // Paid off with 7,000-odd held as overpayment: what a refund pays back.
    ['/loans', originationRequest('L-3', 'B-1')],
    ['/loans/L-3/disbursements', disbursementRequest],
    ['/loans/L-3/payments', paymentRequest('P-3', '20000.00', '2026-02-15')],
  ];
  for (const [url, payload] of setup) {
    const response = await app.inject({ method: 'POST', url, payload });
    if (response.statusCode >= 300) throw new Error(`fixture: POST ${url} answered ${response.statusCode} ${response.body}`);
  }
  return { app, store: app.get(EVENT_STORE) };
}

describe('malformed commands on every command route', () => {
  let app: NestFastifyApplication;
  let store: EventStore;
  const eventCount = async () => (await store.readAll(0, 1_000_000)).length;

  beforeAll(async () => {
    ({ app, store } = await openFixture());
  });
  afterAll(() => app?.close());

  /** The one property every request here must satisfy. */
  async function expectRefusedAndNothingAppended(request: FuzzRequest): Promise<void> {
    // Counted around each request, so the first one that appends is the one reported.
    const before = await eventCount();
    const response = await app.inject({ method: 'POST', url: request.url, headers: request.headers, ...(request.payload !== undefined && { payload: request.payload }) });
    const problem = (what: string) => new Error(`${what}\n  request: ${describeRequest(request)}\n  response: ${response.statusCode} ${response.body.slice(0, 500)}`);
    if (response.statusCode < 400 || response.statusCode >= 500) throw problem(`answered ${response.statusCode}, not 4xx`);
    let body: unknown;
    try {
      body = response.json();
    } catch {
      throw problem('the error body is not JSON');
    }
    const { code, message } = (body ?? {}) as { code?: unknown; message?: unknown };
    if (typeof code !== 'string' || code === '' || typeof message !== 'string' || message === '') throw problem('the error body is not { code, message }');
    const after = await eventCount();
    if (after !== before) throw problem(`the event log grew from ${before} to ${after} events`);
  }

  const check = (arbitrary: fc.Arbitrary<FuzzRequest>, numRuns: number) =>
    fc.assert(
      fc.asyncProperty(arbitrary, (request) => expectRefusedAndNothingAppended(request)),
      { numRuns, ...FUZZ_OVERRIDES },
    );

  describe.each(ROUTES.map((route) => [route.name, route] as const))('%s', (_name, route) => {
    it(
      'refuses a body with any field of the wrong type, out of range, malformed, missing, or unknown with 4xx { code, message }, appending nothing',
      () => check(brokenBody(route).map((broken) => jsonRequest(route, applyBroken(route, broken), { broken: describeBroken(broken) })), RUNS_PER_ROUTE),
      PROPERTY_TIMEOUT_MS,
    );
  });

  it(
    'refuses payloads that are not one JSON object (truncated, trailing commas, not UTF-8, too deep, too large, other content types) with 4xx, appending nothing',
    () => check(fc.constantFrom(...ROUTES).chain(brokenPayload), RUNS_PER_CROSS_ROUTE_ATTACK),
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'refuses a valid body under a path parameter that is not an id (spaces, unicode, dot segments, bad escapes, too long) with 4xx, appending nothing',
    () =>
      check(
        fc
          .constantFrom(...ROUTES.filter((route) => Object.keys(route.params).length > 0))
          .chain((route) =>
            fc.tuple(fc.constantFrom(...Object.keys(route.params)), invalidPathParam).map(([name, value]) =>
              jsonRequest(route, route.valid(), { url: urlOf(route, { ...route.params, [name]: value }) }),
            ),
          ),
        RUNS_PER_CROSS_ROUTE_ATTACK,
      ),
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'refuses a valid body with a malformed Idempotency-Key, X-Correlation-Id or X-Causation-Id with 4xx, appending nothing',
    () =>
      check(
        fc
          .tuple(fc.constantFrom(...ROUTES), fc.constantFrom(...COMMAND_HEADERS), invalidHeaderValue)
          .map(([route, header, value]) => jsonRequest(route, route.valid(), { headers: { ...JSON_TYPE, [header]: value } })),
        RUNS_PER_CROSS_ROUTE_ATTACK,
      ),
    PROPERTY_TIMEOUT_MS,
  );
});

interface OpenApiSchema {
  readonly $ref?: string;
  readonly allOf?: readonly OpenApiSchema[];
  readonly properties?: Readonly<Record<string, OpenApiSchema>>;
  readonly required?: readonly string[];
}
interface OpenApiDocument {
  readonly paths: Readonly<Record<string, { readonly post?: { readonly requestBody: { readonly content: Readonly<Record<string, { readonly schema: OpenApiSchema }>> } } }>>;
  readonly components: { readonly schemas: Readonly<Record<string, OpenApiSchema>> };
}

/** Every field of a request body by dotted path, nested DTOs included, and whether the API requires it. */
function documentedFields(document: OpenApiDocument, schema: OpenApiSchema, prefix = ''): { path: string; required: boolean }[] {
  const resolved = schema.$ref ? document.components.schemas[schema.$ref.replace('#/components/schemas/', '')]! : schema;
  return Object.entries(resolved.properties ?? {}).flatMap(([name, property]) => {
    const path = `${prefix}${name}`;
    const nested = property.$ref ? property : property.allOf?.find((part) => part.$ref);
    return [{ path, required: resolved.required?.includes(name) ?? false }, ...(nested ? documentedFields(document, nested, `${path}.`) : [])];
  });
}

describe('the bodies the fuzzer breaks', () => {
  it('cover every command route the API documents, every field of each body, and leave out exactly the required ones', async () => {
    const app = await createTestApp(testConfig());
    try {
      const document = (await app.inject({ method: 'GET', url: '/docs/openapi.json' })).json() as OpenApiDocument;
      const commands = Object.entries(document.paths).filter(([, methods]) => methods.post);
      expect(ROUTES.map((route) => route.name).sort()).toEqual(commands.map(([path]) => `POST ${path}`).sort());
      for (const [path, methods] of commands) {
        const route = ROUTES.find((r) => r.name === `POST ${path}`)!;
        const fields = documentedFields(document, methods.post!.requestBody.content['application/json']!.schema);
        const attacked = Object.entries(route.fields).map(([field, arbitrary]) => ({ path: field, required: REQUIRED.has(arbitrary) }));
        expect({ route: route.name, fields: attacked.sort((a, b) => a.path.localeCompare(b.path)) }).toEqual({
          route: route.name,
          fields: fields.sort((a, b) => a.path.localeCompare(b.path)),
        });
      }
    } finally {
      await app.close();
    }
  });

  it('are each accepted as they are, so every refusal above is owed to the part that was broken', async () => {
    for (const route of ROUTES) {
      // A fixture of its own per route: commands accepted earlier would change what the next one may do.
      const { app } = await openFixture();
      try {
        const response = await app.inject({ method: 'POST', url: urlOf(route), payload: route.valid() });
        expect({ route: route.name, status: response.statusCode, body: response.json() as unknown }).toEqual({
          route: route.name,
          status: route.name === 'POST /close-of-business' ? 200 : 201,
          body: expect.anything(),
        });
      } finally {
        await app.close();
      }
    }
  }, 60_000);
});
