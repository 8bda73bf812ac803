/**
 * A progress bar's time left, as "45s", "3m05s" or "1h02m": rounded first (to 5 s past ten
 * seconds, to the minute past an hour) and only then split into units. cli-progress's own
 * formatter splits first and rounds the remainder, which prints 239 s as "3m60s" and 7,199 s
 * as "1h60m".
 */
export function formatTimeLeft(timeLeft: number | string): string {
  // cli-progress hands over whole seconds once it has a rate; before, the text '0' (no update
  // yet), 'INF' or 'NULL'. Only the number 0 means done.
  if (timeLeft === '0') return '?';
  const seconds = Number(timeLeft);
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  if (seconds <= 10) return `${Math.round(seconds)}s`;
  const rounded = 5 * Math.round(seconds / 5);
  if (rounded < 60) return `${rounded}s`;
  if (rounded < 3600) return `${Math.floor(rounded / 60)}m${twoDigits(rounded % 60)}s`;
  const minutes = Math.round(seconds / 60);
  return `${Math.floor(minutes / 60)}h${twoDigits(minutes % 60)}m`;
}

function twoDigits(value: number): string {
  return String(value).padStart(2, '0');
}
