import { canonicalJson } from '../../src/kernel/canonical-json.js';
import { commandHash } from '../../src/kernel/commands/command-hash.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: [2, { d: undefined, c: 'x' }], e: null })).toBe('{"a":[2,{"c":"x"}],"b":1,"e":null}');
  });

  it('writes strings and numbers as JSON does', () => {
    expect(canonicalJson({ s: 'é"\n', n: 1e21, f: 0.1 })).toBe('{"f":0.1,"n":1e+21,"s":"é\\"\\n"}');
  });

  it('makes the command hash independent of key order but not of values', () => {
    expect(commandHash({ a: 1, b: { c: 2, d: 3 } })).toBe(commandHash({ b: { d: 3, c: 2 }, a: 1 }));
    expect(commandHash({ a: 1 })).not.toBe(commandHash({ a: 2 }));
  });
});

describe('canonicalJson, as it has always written', () => {
  it('writes undefined array items as null and a hole as nothing', () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(canonicalJson([1, undefined, , 4])).toBe('[1,null,,4]');
  });

  it('follows toJSON, and refuses what has no JSON form', () => {
    expect(canonicalJson({ on: new Date(0), nested: { toJSON: () => ({ b: 1, a: 2 }) } })).toBe('{"nested":{"a":2,"b":1},"on":"1970-01-01T00:00:00.000Z"}');
    expect(() => canonicalJson({ f: () => 1 })).toThrow(TypeError);
    expect(() => canonicalJson([Symbol('s')])).toThrow(TypeError);
  });

  it('sorts keys by UTF-16 code units, integer-like ones included', () => {
    expect(canonicalJson({ b: 1, '10': 2, '2': 3, B: 4, é: 5 })).toBe('{"10":2,"2":3,"B":4,"b":1,"é":5}');
  });
});
