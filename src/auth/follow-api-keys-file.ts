import { unwatchFile, watchFile } from 'node:fs';
import type { Logger } from 'pino';
import type { ApiKeyRegistry } from './api-key-registry.js';
import { readApiKeysFile } from './api-keys-file.js';

const POLL_INTERVAL_MS = 1_000;

/**
 * Keeps the registry in step with the keys file, so that a key added or revoked with
 * `arrears keys` takes effect within a second or two without a restart. A file that no
 * longer parses is reported and the keys in force stay as they were.
 */
export function followApiKeysFile(path: string, registry: ApiKeyRegistry, logger: Logger): () => void {
  const reload = () => {
    try {
      registry.replace(readApiKeysFile(path));
      logger.info({ file: path, keys: registry.entries.length }, 'API keys reloaded');
    } catch (error) {
      logger.error({ file: path, err: error }, 'API keys file changed but cannot be used; the keys in force stay');
    }
  };
  watchFile(path, { interval: POLL_INTERVAL_MS, persistent: false }, (now, before) => {
    if (now.mtimeMs !== before.mtimeMs || now.size !== before.size) reload();
  });
  return () => unwatchFile(path);
}
