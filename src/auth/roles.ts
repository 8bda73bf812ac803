/**
 * What a key may do. A key holds one or more roles; no role includes another, so a key
 * gets exactly the powers it was given.
 * - servicer: loan commands (originate, disburse, payments, reversals, hardship, write-offs)
 * - collector: collection contacts, contact restrictions and permission checks
 * - auditor: event logs, as-of views, reports and exports
 * - viewer: projections and dashboards
 * - admin: close of business, replay and key management
 */
export const ROLES = ['servicer', 'collector', 'auditor', 'viewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Everyone who reads the present state of loans and projections: each role's work needs it. */
export const READERS: readonly Role[] = ['viewer', 'servicer', 'collector', 'auditor'];
