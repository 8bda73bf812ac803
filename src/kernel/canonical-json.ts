/**
 * Canonical JSON in the manner of RFC 8785: object keys sorted by UTF-16 code units, no
 * whitespace, numbers and strings as JSON.stringify writes them (which is what RFC 8785
 * prescribes for ES numbers). Hashes of commands and of events are taken over it, so the
 * same value always gives the same text whatever its key order.
 *
 * Written here rather than taken from the `canonicalize` package, whose type declarations
 * do not match its CommonJS export under NodeNext resolution. Never built by appending to a
 * string in loops: V8 keeps a string appended to piece by piece as a tree of pieces, several
 * times the size of the text, until something flattens it; when projections kept this text
 * in their rows (a loan's instalments, now rows of values: instalment-row.ts), folding
 * 100,000 loans in memory that way ran the projection worker out of memory. The event
 * store's own hashing, which keeps nothing, has its faster walk (writeJsonAndCanonical).
 *
 * Plain JSON data, which is nearly all there is, is written by the engine's own
 * JSON.stringify: every key the value holds, at any depth, sorted once and given to it as
 * the list of properties to write, which it writes in that order in every object, so each
 * object comes out with its keys sorted. Several times faster than the walk (building a
 * projection's rows from the first event spent more time here than folding them; issue 23),
 * and one flat string. Anything else (a toJSON, an object that is not plain, a hole in an
 * array, a function, a symbol, a bigint) goes to the walk.
 */
export function canonicalJson(value: unknown): string {
  // Most values given here were built, or parsed from canonical text, with their keys
  // already in order: then JSON.stringify alone writes the canonical text, on its fast path
  // (a list of properties to write takes it off that path).
  if (inCanonicalOrder(value)) return JSON.stringify(value);
  const keys = new Set<string>();
  if (!collectKeys(value, keys)) return canonicalJsonByWalk(value);
  return JSON.stringify(value, [...keys].sort());
}

/**
 * Whether `value` is plain JSON data whose every object holds its members (those not
 * undefined) with their keys in sorted order: JSON.stringify writes an object's keys in the
 * order it holds them, integer-like keys first, so any key out of order (a "10" after a "9"
 * among them) sends the value to the sorting paths. `<` compares UTF-16 code units, as the
 * sort of the other paths does.
 */
function inCanonicalOrder(value: unknown): boolean {
  return everyMember(value, (key, previous) => previous === undefined || previous < key);
}

/** Adds every key of every object in `value`; false if it holds anything but plain JSON data. */
function collectKeys(value: unknown, keys: Set<string>): boolean {
  return everyMember(value, (key) => {
    keys.add(key);
    return true;
  });
}

/**
 * Walks `value` if it is plain JSON data, which JSON.stringify writes as canonicalJson's
 * other paths would: nulls, strings, numbers, booleans, arrays without holes and objects with
 * no prototype but Object's (or none) and no toJSON. Asks `member` about each object member
 * that is not undefined, in the order the object holds them, with the key before it; false
 * when `value` holds anything else, a "__proto__" key (given as a property to write, it
 * would be read from every object: their prototype), or when `member` says false.
 */
function everyMember(value: unknown, member: (key: string, previousKey: string | undefined) => boolean): boolean {
  if (value === null) return true;
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return true;
    case 'object':
      break;
    default:
      return false;
  }
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      if (!(index in value)) return false;
      const item: unknown = value[index];
      if (item !== undefined && !everyMember(item, member)) return false;
    }
    return true;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  if ('toJSON' in (value as object)) return false;
  let previous: string | undefined;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const child: unknown = (value as Record<string, unknown>)[key];
    if (child === undefined) continue;
    if (key === '__proto__' || !member(key, previous) || !everyMember(child, member)) return false;
    previous = key;
  }
  return true;
}

/**
 * The canonical text by walking the value, for what is not plain JSON data; exported as the
 * reference canonicalJson's faster path is tested against. Joins arrays of parts (see above).
 */
export function canonicalJsonByWalk(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`${typeof value} has no JSON form`);
    return text;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return canonicalJsonByWalk((value as { toJSON(): unknown }).toJSON());
  }
  if (Array.isArray(value)) {
    return `[${value.map((item) => (item === undefined ? 'null' : canonicalJsonByWalk(item))).join(',')}]`;
  }
  const entries = Object.keys(value)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJsonByWalk((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(',')}}`;
}

/** Both texts of one value: what JSON.stringify writes, and its canonical JSON. */
export interface JsonTexts {
  json: string;
  canonical: string;
}

/** Strings JSON.stringify writes other than between two quotes: quotes, backslashes, control characters, lone surrogates. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
/** `"key":` of the keys seen so far (a few thousand at most: event and metadata members). */
const QUOTED_KEYS = new Map<string, string>();
const QUOTED_KEYS_KEPT = 4096;

/**
 * JSON.stringify(value) and canonicalJson(value) in one walk, each string and number written
 * once for both (issue 23: the event store needs both texts of every event's data and
 * metadata, and JSON.stringify called per member cost more than the digest). Only for plain
 * JSON values: false, with `out` unspecified, where the texts might differ from those of the
 * two functions (a toJSON, an object that is not plain, a hole in an array, a function, a
 * symbol or a bigint); the caller then calls them. `extra` is a member written into the
 * canonical text only, at its sorted place (the event hash chain's previous hash).
 */
export function writeJsonAndCanonical(value: unknown, out: JsonTexts, extra?: { readonly key: string; readonly text: string }): boolean {
  if (value === null || typeof value !== 'object') {
    if (extra !== undefined) return false;
    const text = primitiveJson(value);
    if (text === undefined) return false;
    out.json = out.canonical = text;
    return true;
  }
  if (Array.isArray(value)) return extra === undefined && writeArray(value, out);
  const prototype: unknown = Object.getPrototypeOf(value);
  if ((prototype !== Object.prototype && prototype !== null) || typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  return writeObject(value as Record<string, unknown>, out, extra);
}

function writeArray(items: readonly unknown[], out: JsonTexts): boolean {
  let json = '[';
  let canonical = '[';
  for (let i = 0; i < items.length; i++) {
    if (!(i in items)) return false;
    if (i > 0) {
      json += ',';
      canonical += ',';
    }
    const item = items[i];
    if (item === undefined) {
      json += 'null';
      canonical += 'null';
    } else if (item === null || typeof item !== 'object') {
      const text = primitiveJson(item);
      if (text === undefined) return false;
      json += text;
      canonical += text;
    } else {
      if (!writeJsonAndCanonical(item, out)) return false;
      json += out.json;
      canonical += out.canonical;
    }
  }
  out.json = json + ']';
  out.canonical = canonical + ']';
  return true;
}

function writeObject(object: Readonly<Record<string, unknown>>, out: JsonTexts, extra?: { readonly key: string; readonly text: string }): boolean {
  if (extra !== undefined && extra.key in object) return false;
  const keys = Object.keys(object);
  const count = keys.length;
  // Each member's canonical text, by the key's place in `keys`; undefined where JSON leaves the member out.
  const canonicalTexts: (string | undefined)[] = new Array(count);
  let json = '{';
  let sameTexts = extra === undefined;
  for (let i = 0; i < count; i++) {
    if (i > 0 && !(keys[i - 1]! < keys[i]!)) sameTexts = false;
    const member = object[keys[i]!];
    if (member === undefined) continue;
    let text: string | undefined;
    if (member === null || typeof member !== 'object') {
      text = primitiveJson(member);
      if (text === undefined) return false;
      canonicalTexts[i] = text;
    } else {
      if (!writeJsonAndCanonical(member, out)) return false;
      text = out.json;
      canonicalTexts[i] = out.canonical;
      if (out.canonical !== text) sameTexts = false;
    }
    if (json.length > 1) json += ',';
    json += quotedKey(keys[i]!) + text;
  }
  json += '}';
  out.json = json;
  if (sameTexts) {
    // Keys already in order and no member written otherwise: the canonical text is the same.
    out.canonical = json;
    return true;
  }
  // The members' places in key order (insertion sort: an object has a handful of keys), the extra member among them.
  const order: number[] = [];
  for (let i = 0; i < count; i++) {
    if (canonicalTexts[i] === undefined) continue;
    let at = order.length;
    order.push(i);
    for (; at > 0 && keys[i]! < keys[order[at - 1]!]!; at--) order[at] = order[at - 1]!;
    order[at] = i;
  }
  let canonical = '{';
  let extraWritten = extra === undefined;
  for (const i of order) {
    const key = keys[i]!;
    if (!extraWritten && extra!.key < key) {
      canonical += (canonical.length > 1 ? ',' : '') + quotedKey(extra!.key) + extra!.text;
      extraWritten = true;
    }
    canonical += (canonical.length > 1 ? ',' : '') + quotedKey(key) + canonicalTexts[i]!;
  }
  if (!extraWritten) canonical += (canonical.length > 1 ? ',' : '') + quotedKey(extra!.key) + extra!.text;
  out.canonical = canonical + '}';
  return true;
}

/** What JSON.stringify (and canonicalJson) write for a primitive; undefined for those they treat otherwise (function, symbol, bigint). */
function primitiveJson(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      return 'null';
    default:
      return undefined;
  }
}

function quotedKey(key: string): string {
  let quoted = QUOTED_KEYS.get(key);
  if (quoted === undefined) {
    quoted = `${JSON.stringify(key)}:`;
    if (QUOTED_KEYS.size < QUOTED_KEYS_KEPT) QUOTED_KEYS.set(key, quoted);
  }
  return quoted;
}
