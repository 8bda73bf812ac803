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
