#!/usr/bin/env node
// Builds the engine (`npm run build`) only when its inputs changed since the last build made
// here: `npm ci` runs it as `prepare`, and `npm start`, `npm test`, `npm run simulate` and
// `npm run cob` run it first, so a built checkout starts at once instead of compiling for
// 30–45 s each time.
//
// The build is stale when dist/.build-stamp is missing, when an entry point is missing, or
// when any input is newer than the stamp: a file or folder under src/, bench/ or web/src/
// (a folder's time changes when a file in it is added, renamed or deleted), the tsconfig
// files, package.json, package-lock.json, or node_modules/.package-lock.json (rewritten by
// every install). The stamp takes the time the successful build started, so a source saved
// during a build is still newer than it. A failed build leaves the stamp as it was.
//
// During `npm ci` (prepare) a failed build is reported without failing the install.
// Without sources (an install of package.json and the lockfile alone, as the Dockerfile's
// dependency layer does) there is nothing to build. Without TypeScript (an install with
// --omit=dev) an existing build is used as it is.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const STAMP = join(root, 'dist', '.build-stamp');
const OUTPUTS = ['dist/src/main.js', 'dist/src/cli.js', 'dist/web'];
const INPUT_TREES = ['src', 'bench', 'web/src'];
const INPUT_FILES = ['tsconfig.json', 'tsconfig.build.json', 'tsconfig.web.json', 'package.json', 'package-lock.json', 'node_modules/.package-lock.json'];

/** The newest modification time (ms) under a path, folders included; 0 when it does not exist. */
function newest(path) {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    return 0;
  }
  if (!stats.isDirectory()) return stats.mtimeMs;
  let latest = stats.mtimeMs;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

/** Why the build must run, or undefined when dist is current. */
export function staleness() {
  if (!existsSync(STAMP)) return 'no build made here yet';
  const missing = OUTPUTS.find((output) => !existsSync(join(root, output)));
  if (missing) return `${missing} is missing`;
  const built = statSync(STAMP).mtimeMs;
  for (const input of [...INPUT_TREES, ...INPUT_FILES]) {
    if (newest(join(root, input)) > built) return `${input} changed since the last build`;
  }
  return undefined;
}

function main() {
  if (!existsSync(join(root, 'src')) || !existsSync(join(root, 'tsconfig.build.json'))) {
    console.log('build-if-stale: no sources here (dependencies only); nothing to build');
    return 0;
  }
  const reason = staleness();
  if (reason === undefined) {
    console.log('build-if-stale: dist is up to date with src; not rebuilding');
    return 0;
  }
  if (!existsSync(join(root, 'node_modules', 'typescript'))) {
    if (existsSync(join(root, 'dist', 'src', 'main.js'))) {
      console.log('build-if-stale: TypeScript is not installed (--omit=dev); using the existing build');
      return 0;
    }
    console.error('build-if-stale: no build in dist/ and TypeScript is not installed: run `npm ci` (with dev dependencies) first');
    return process.env.npm_lifecycle_event === 'prepare' ? 0 : 1;
  }
  console.log(`build-if-stale: building (${reason})`);
  const started = new Date();
  // Under npm, npm_execpath is npm's own script: run the same npm with the same Node.
  const npm = process.env.npm_execpath;
  const build = npm && /\.[cm]?js$/.test(npm)
    ? spawnSync(process.execPath, [npm, 'run', 'build'], { cwd: root, stdio: 'inherit' })
    : spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (build.status !== 0) {
    // An install is not undone by a compile error (in a checkout being edited, say): the
    // stamp stays old, so `npm start` and `npm test` build again and stop on the error.
    if (process.env.npm_lifecycle_event === 'prepare') {
      console.error('build-if-stale: the build failed; the install goes on, and `npm start` or `npm test` will build again');
      return 0;
    }
    return build.status ?? 1;
  }
  writeFileSync(STAMP, `built from the sources as they were at ${started.toISOString()}\n`);
  utimesSync(STAMP, started, started);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main();
