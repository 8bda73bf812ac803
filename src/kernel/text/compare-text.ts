/** Code-point order, the same on every machine and in every locale: report rows never move. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
