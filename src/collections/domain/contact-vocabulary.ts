/** The words of a collection contact (issue: collections), shared by commands, events and rules. */
export const CONTACT_CHANNELS = ['phone', 'sms', 'email', 'letter', 'visit', 'app-message'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

export const CONTACT_PARTIES = ['borrower', 'guarantor', 'emergency-contact', 'third-party'] as const;
export type ContactParty = (typeof CONTACT_PARTIES)[number];

export const CONTACT_DIRECTIONS = ['outbound', 'inbound'] as const;
export type ContactDirection = (typeof CONTACT_DIRECTIONS)[number];

export const CONTACT_OUTCOMES = ['no-answer', 'reached', 'promise-to-pay', 'dispute', 'refused', 'wrong-party', 'hardship-claimed'] as const;
export type ContactOutcome = (typeof CONTACT_OUTCOMES)[number];

/** Why a third party is contacted: under Regulation F only to learn where the borrower can be reached (1006.6(d)(1), 1006.10). */
export const THIRD_PARTY_PURPOSES = ['location-information', 'other'] as const;
export type ThirdPartyPurpose = (typeof THIRD_PARTY_PURPOSES)[number];

/** Why a third party already spoken to is contacted again (1006.10(c)): they asked for it, or their earlier answer is believed wrong. */
export const REPEAT_REASONS = ['requested-by-third-party', 'earlier-answer-believed-wrong'] as const;
export type RepeatReason = (typeof REPEAT_REASONS)[number];

/** A rule a contact broke, recorded on its event. */
export interface ConductViolation {
  readonly rule: ConductRule;
  readonly message: string;
}

export type ConductRule =
  | 'quiet-hours'
  | 'daily-connected-call-limit'
  | 'daily-unanswered-attempt-limit'
  | 'rolling-call-attempt-limit'
  | 'call-after-conversation'
  | 'cease-communication'
  | 'channel-opt-out'
  | 'third-party-contact'
  | 'third-party-location-only'
  | 'third-party-repeat';
