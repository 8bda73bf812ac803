import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';

/** The page and its styles as written, and its scripts as `npm run build` compiles them. */
const PAGE_FOLDER = 'web/public';
const SCRIPT_FOLDER = 'dist/web';
/** The chart library, kept in package.json and served from node_modules as installed: `/vendor/uplot/uPlot.iife.min.js`, `/vendor/uplot/uPlot.min.css`. */
const UPLOT_FOLDER = 'node_modules/uplot/dist';

/** The page loads only what this server serves: no CDN, no inline script. */
const CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'";

/**
 * Serves the operator dashboard at `/`, for anyone: the page holds no data. What it shows
 * comes from the query API, with the viewer key the operator enters.
 */
export async function serveDashboard(app: NestFastifyApplication, logger: Logger): Promise<void> {
  const root = packageRoot();
  const folders = [join(root, PAGE_FOLDER), join(root, SCRIPT_FOLDER), join(root, UPLOT_FOLDER)];
  const missing = folders.filter((folder) => !existsSync(folder));
  if (missing.length > 0) {
    logger.warn({ missing }, 'dashboard not served: run npm run build');
    return;
  }
  const setHeaders = (response: { header: (name: string, value: string) => unknown }) => {
    void response.header('content-security-policy', CONTENT_SECURITY_POLICY);
    void response.header('x-content-type-options', 'nosniff');
  };
  await app.register(fastifyStatic, { root: folders.slice(0, 2), prefix: '/', wildcard: false, setHeaders });
  await app.register(fastifyStatic, { root: folders[2]!, prefix: '/vendor/uplot/', wildcard: false, decorateReply: false, setHeaders });
}

/** The folder holding package.json, found from this file whether it runs from src/ (tests) or dist/src/. */
function packageRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(folder, 'package.json'))) {
    const parent = dirname(folder);
    if (parent === folder) throw new Error('package.json not found above the dashboard server');
    folder = parent;
  }
  return folder;
}
