import { canonicalJson } from '../../../kernel/canonical-json.js';

/**
 * canonicalJson's text of a row's value (a loan's instalments, say), written by the engine's
 * own JSON.stringify: every key the value holds, at any depth, sorted once and given to
 * JSON.stringify as the list of properties to write, which it writes in that order, so
 * objects come out with sorted keys, exactly as canonicalJson writes them. Several times
 * faster than canonicalJson's walk (which sorts and quotes every object's keys and joins
 * the parts); building a projection's rows from the first event spent more time there
 * than folding them (issue 23). One flat string, as canonicalJson's joins give (never a
 * string appended to piece by piece: rows keep this text; see canonical-json.ts).
 *
 * For plain JSON data only: anything else (a toJSON, an object that is not plain, a hole
 * in an array, a function, a symbol, a bigint) is written by canonicalJson itself.
 */
export function rowJson(value: unknown): string {
  const keys = new Set<string>();
  if (!collectKeys(value, keys)) return canonicalJson(value);
  return JSON.stringify(value, [...keys].sort());
}

/** Adds every key of every object in `value`; false if it holds anything but plain JSON data. */
function collectKeys(value: unknown, keys: Set<string>): boolean {
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
      if (item !== undefined && !collectKeys(item, keys)) return false;
    }
    return true;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  if ('toJSON' in (value as object)) return false;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const member: unknown = (value as Record<string, unknown>)[key];
    if (member === undefined) continue;
    // Given as a property to write, it would be read from every object: their prototype.
    if (key === '__proto__' || !collectKeys(member, keys)) return false;
    keys.add(key);
  }
  return true;
}
