import { Temporal } from 'temporal-polyfill';

/** A time zone the borrower said they live in, from an instant on (a move is a new one). */
export interface BorrowerTimeZone {
  readonly timeZone: string;
  readonly from: string;
}

/**
 * Every time zone the borrower may be in at `at`: the zones of their loans (`loanZones`, the
 * loan contacted first), those earlier contacts were judged in, and the zone of their own on
 * record at that instant (the latest recorded from it or before). With conflicting location
 * information a time is convenient only if it is convenient in each (Regulation F comment
 * 6(b)(1)(i)-2), so the rules judge every one of them.
 */
export function borrowerTimeZonesAt(
  recorded: readonly BorrowerTimeZone[],
  at: string,
  loanZones: readonly string[],
  contacts: readonly { readonly timeZones?: readonly string[] | undefined }[],
): string[] {
  const instant = Temporal.Instant.from(at);
  const own = recorded.filter((z) => Temporal.Instant.compare(Temporal.Instant.from(z.from), instant) <= 0).at(-1);
  return [...new Set([...loanZones, ...contacts.flatMap((c) => c.timeZones ?? []), ...(own ? [own.timeZone] : [])])];
}
