import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/*
 * The architecture's rules (.dependency-cruiser.cjs, issue 22) hold for src/, and each rule
 * catches the wrong import it is there for: a rule that never fires is no rule.
 */

const ROOT = resolve('.');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');
const DEPCRUISE = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

/** depcruise over `src` in `cwd`: its exit code and what it printed. */
function cruise(cwd: string): { code: number; output: string } {
  try {
    const output = execFileSync(process.execPath, [DEPCRUISE, 'src', '--config', CONFIG, '--output-type', 'err'], { cwd, encoding: 'utf8', stdio: 'pipe' });
    return { code: 0, output };
  } catch (error) {
    const failed = error as { status: number; stdout: string; stderr: string };
    return { code: failed.status, output: `${failed.stdout}${failed.stderr}` };
  }
}

function writeTree(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

describe('the dependency rules', () => {
  it('hold for the engine: no cycles between folders, a pure core, read models apart', () => {
    const { code, output } = cruise(ROOT);
    expect(output).toContain('no dependency violations found');
    expect(code).toBe(0);
  }, 60_000);

  it('each fail on a deliberately wrong import', () => {
    const dir = mkdtempSync(join(tmpdir(), 'arrears-rules-'));
    try {
      writeTree(dir, {
        'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022' } }),
        // A cycle between two top-level folders.
        'src/loans/loan-service.ts': "import { queue } from '../collections/queue.js';\nexport const loans = () => queue;\n",
        'src/collections/queue.ts': "import { loans } from '../loans/loan-service.js';\nexport const queue = () => loans;\n",
        // A domain that reaches for a database library, Nest and the file system. The two
        // packages are the tree's own, so that they resolve here as they do in the engine's
        // checkout, whatever node_modules lies above os.tmpdir() (a stray /tmp/node_modules
        // once made them resolve there, out of the rule's sight, and failed this test).
        'node_modules/kysely/package.json': JSON.stringify({ name: 'kysely', type: 'module', main: 'index.js' }),
        'node_modules/kysely/index.js': 'export const sql = 1;\n',
        'node_modules/@nestjs/common/package.json': JSON.stringify({ name: '@nestjs/common', type: 'module', main: 'index.js' }),
        'node_modules/@nestjs/common/index.js': 'export const Injectable = 1;\n',
        'src/loans/domain/stores-itself.ts': "import { sql } from 'kysely';\nimport { Injectable } from '@nestjs/common';\nimport { readFileSync } from 'node:fs';\nexport const all = [sql, Injectable, readFileSync];\n",
        // The kernel reading the clock.
        'src/kernel/dates/business-clock.ts': 'export const businessClock = () => new Date();\n',
        'src/kernel/money/today.ts': "import { businessClock } from '../dates/business-clock.js';\nexport const today = businessClock;\n",
        // A domain importing outside the pure core.
        'src/collections/domain/asks-http.ts': "import { page } from '../../http/page.js';\nexport const asks = page;\n",
        'src/http/page.ts': 'export const page = 1;\n',
        // A read model using a write model's handler.
        'src/loans/commands/execute.ts': 'export const execute = () => 1;\n',
        'src/read-models/ledger/ledger.reader.ts': "import { execute } from '../../loans/commands/execute.js';\nexport const read = execute;\n",
        // Another folder, and another read model, writing into a read model's tables.
        'src/read-models/ledger/ledger.projection.ts': "export const LEDGER_TABLE = 'ledger';\n",
        'src/dashboard/tiles.ts': "import { LEDGER_TABLE } from '../read-models/ledger/ledger.projection.js';\nexport const tiles = LEDGER_TABLE;\n",
        'src/read-models/queue/queue.reader.ts': "import { LEDGER_TABLE } from '../ledger/ledger.projection.js';\nexport const q = LEDGER_TABLE;\n",
        // A feature importing the composition.
        'src/app/app.module.ts': 'export const AppModule = 1;\n',
        'src/health/health.ts': "import { AppModule } from '../app/app.module.js';\nexport const health = AppModule;\n",
      });
      const { code, output } = cruise(dir);
      expect(code).not.toBe(0);
      const fired = (rule: string) => output.split('\n').filter((line) => line.includes(`error ${rule}:`));
      expect(fired('no-folder-cycles').join('\n')).toMatch(/src\/(loans|collections)/);
      expect(fired('pure-core-has-no-framework-or-io').map((line) => line.split('→ ')[1]?.trim()).sort()).toEqual([
        'fs',
        'node_modules/@nestjs/common/index.js',
        'node_modules/kysely/index.js',
      ]);
      expect(fired('pure-core-reads-no-clock')).toEqual([expect.stringContaining('src/kernel/money/today.ts')]);
      expect(fired('pure-core-stays-pure')).toEqual([expect.stringContaining('src/collections/domain/asks-http.ts → src/http/page.ts')]);
      expect(fired('read-models-touch-only-the-write-models-domain')).toEqual([expect.stringContaining('src/read-models/ledger/ledger.reader.ts')]);
      expect(fired('a-read-models-tables-are-its-own')).toEqual([expect.stringContaining('src/dashboard/tiles.ts')]);
      expect(fired('read-models-keep-out-of-each-others-tables')).toEqual([expect.stringContaining('src/read-models/queue/queue.reader.ts')]);
      expect(fired('only-the-entry-points-compose-the-app')).toEqual([expect.stringContaining('src/health/health.ts')]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('and the pure core never reads the system clock itself', () => {
    const pure = ['src/kernel', 'src/policies', 'src/loans/domain', 'src/collections/domain', 'src/close-of-business/domain'];
    const walk = (path: string): string[] =>
      statSync(path).isDirectory() ? readdirSync(path).flatMap((name) => walk(join(path, name))) : path.endsWith('.ts') ? [path] : [];
    const files = pure.flatMap(walk);
    const reads = files.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => /new Date\(\)|Date\.now\(\)|performance\.now\(\)/.test(line) && !line.trim().startsWith('*') && !line.trim().startsWith('//'))
        .map((line) => `${file}: ${line.trim()}`),
    );
    expect(files.length).toBeGreaterThan(50);
    expect(reads).toEqual([]);
  });
});
