/**
 * Canonical JSON in the manner of RFC 8785: object keys sorted by UTF-16 code units, no
 * whitespace, numbers and strings as JSON.stringify writes them (which is what RFC 8785
 * prescribes for ES numbers). Hashes of commands and, later, of events are taken over it,
 * so the same value always gives the same text whatever its key order.
 *
 * Written here rather than taken from the `canonicalize` package, whose type declarations
 * do not match its CommonJS export under NodeNext resolution.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`${typeof value} has no JSON form`);
    return text;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return canonicalJson((value as { toJSON(): unknown }).toJSON());
  }
  if (Array.isArray(value)) {
    return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  }
  const entries = Object.keys(value)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(',')}}`;
}
