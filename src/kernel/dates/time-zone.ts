/**
 * True for an IANA time zone name this runtime knows (e.g. Asia/Shanghai, Etc/GMT-8, UTC).
 * A UTC offset (+08:00, -0530) is not one, though Node 24's Intl takes offsets as time
 * zones (ECMA-402's offset time zones; Node 20's refused them): an offset has no
 * daylight-saving rules and names no place, so a borrower's or the close of business's
 * zone is never one.
 */
export function isTimeZone(name: string): boolean {
  if (name.length === 0 || /^[+\-\u2212]/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
