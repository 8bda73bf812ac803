import { readFileSync } from 'node:fs';

/** A file's text, or undefined where it cannot be read (gone, never there, not ours to read): /proc and /sys files come and go with what they describe. */
export function readFileIfThere(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
