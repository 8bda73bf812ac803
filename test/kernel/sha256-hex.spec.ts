import { sha256Hex } from '../../src/kernel/sha256-hex.js';

describe('sha256Hex', () => {
  it('gives the FIPS 180-2 digests in lowercase hex', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('hashes the UTF-8 bytes of the text (hash chains written before stay verifiable)', () => {
    // "é" is c3 a9 in UTF-8; hashed as the single Latin-1 byte e9 it would give de2e331d…
    expect(sha256Hex('é')).toBe('4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c');
  });
});
