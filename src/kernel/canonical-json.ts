/**
 * Canonical JSON in the manner of RFC 8785: object keys sorted by UTF-16 code units, no
 * whitespace, numbers and strings as JSON.stringify writes them (which is what RFC 8785
 * prescribes for ES numbers). Hashes of commands and of events are taken over it, so the
 * same value always gives the same text whatever its key order.
 *
 * Written here rather than taken from the `canonicalize` package, whose type declarations
 * do not match its CommonJS export under NodeNext resolution. Every appended event is
 * hashed over it (issue 23), so it appends to one string in plain loops rather than
 * building and joining arrays of parts; the text is the same as it always was.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return canonicalPrimitive(value);
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return canonicalJson((value as { toJSON(): unknown }).toJSON());
  }
  if (Array.isArray(value)) {
    let text = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) text += ',';
      // A hole is written as nothing (as it always was: Array.prototype.join of a sparse map).
      if (!(i in value)) continue;
      const item: unknown = value[i];
      text += item === undefined ? 'null' : canonicalJson(item);
    }
    return text + ']';
  }
  return canonicalObject(value as Record<string, unknown>, Object.keys(value).sort());
}

/**
 * The canonical JSON of an object given its keys already sorted: `override` stands for the
 * object's member of that name (the event hash chain adds the previous hash to the caller's
 * metadata this way, without copying it into a new object).
 */
export function canonicalObject(
  object: Readonly<Record<string, unknown>>,
  sortedKeys: readonly string[],
  override?: { readonly key: string; readonly value: unknown },
): string {
  let text = '{';
  for (const key of sortedKeys) {
    const member = override !== undefined && key === override.key ? override.value : object[key];
    if (member === undefined) continue;
    if (text.length > 1) text += ',';
    text += JSON.stringify(key) + ':' + canonicalJson(member);
  }
  return text + '}';
}

function canonicalPrimitive(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError(`${typeof value} has no JSON form`);
  return text;
}
