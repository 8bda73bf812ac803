/**
 * RFC 4180 CSV: fields quoted only when they must be, CRLF between records, one at the end.
 * A text field a spreadsheet would read as a formula (starting with =, +, -, @, tab or
 * carriage return: a borrower's name such as `=HYPERLINK(…)`) is neutralised with a leading
 * apostrophe (OWASP's CSV injection advice); plain numbers, negative amounts included, are not.
 */
export function toCsv(rows: readonly (readonly (string | number)[])[]): string {
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[-+]?\d+(\.\d+)?$/;

function csvField(value: string | number): string {
  const text = typeof value === 'string' && FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
