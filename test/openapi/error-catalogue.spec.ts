import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CATALOGUE, renderErrorCatalogue } from '../../src/app/openapi/error-catalogue.js';

/** Every .ts file under a folder. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/**
 * The codes src/ raises: the first argument of an error's constructor (`new …Error('…'`,
 * `new …Violation('…'`, `super('…'`) and every `code: '…'` of a body answered directly.
 * Fastify errors carrying a code of their own are answered as `REQUEST.<code>` (error.filter.ts).
 */
function codesRaisedInSrc(): Map<string, string[]> {
  const raised = new Map<string, string[]>();
  const pattern = /(?:new \w*(?:Error|Violation|Exception)\(|super\(|\bcode:|\]:)\s*'([A-Z][A-Z0-9_]*(?:\.[A-Z0-9_]+)*)'/g;
  for (const file of sources('src')) {
    const text = readFileSync(file, 'utf8');
    for (const [, code] of text.matchAll(pattern)) {
      const answered = file.endsWith('limit-requests-per-key.ts') ? `REQUEST.${code}` : code!;
      raised.set(answered, [...(raised.get(answered) ?? []), file]);
    }
  }
  return raised;
}

describe('the error catalogue', () => {
  it('lists every code src/ raises, and none it does not', () => {
    const raised = codesRaisedInSrc();
    expect(raised.size).toBeGreaterThan(50);
    const catalogued = new Set(Object.keys(ERROR_CATALOGUE));
    expect([...raised.keys()].filter((code) => !catalogued.has(code)).map((code) => `${code} (${raised.get(code)!.join(', ')})`)).toEqual([]);
    expect([...catalogued].filter((code) => !raised.has(code) && code !== 'INTERNAL')).toEqual([]);
  });

  it('is the one the README shows', () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = /<!-- error-catalogue:start[^>]*-->\n([\s\S]*?)\n<!-- error-catalogue:end -->/.exec(readme);
    expect(section?.[1]).toBe(renderErrorCatalogue());
  });
});
