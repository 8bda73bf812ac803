import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { loadConfig } from '../../src/config/app-config.js';

/*
 * The deployment files start on the first try (issue 24). No Docker engine runs in CI, so
 * these are static checks of what Docker would be given:
 *
 * - docker-compose*.yml parse as YAML (merge keys included), need no variable to be set, and
 *   every app service is restarted unless stopped, waits for each store it depends on to be
 *   healthy (`condition: service_healthy`), depends on every store its settings name (the
 *   PostgreSQL host, each KurrentDB host of the connection string), and keeps its data in a
 *   named volume at /app/data; every store has a health check, and PostgreSQL is not published
 *   on the host. The settings of each app pass the engine's own validation.
 * - Dockerfile, in place of a linter (hadolint is not installable from npm): the image's
 *   stages are Node 24 (package.json's engines), the built engine is compiled at image build
 *   time and started with node (no `npm start` compiling at run time), the last stage runs as
 *   a non-root USER, declares /app/data a VOLUME owned by that user, and has a HEALTHCHECK
 *   asking GET /health with node's fetch (the slim image has no curl).
 */

const ROOT = resolve('.');
const COMPOSE_FILES = ['docker-compose.yml', 'docker-compose.cluster.yml'];

type Service = {
  build?: unknown;
  image?: string;
  profiles?: string[];
  restart?: string;
  ports?: unknown[];
  environment?: Record<string, string>;
  volumes?: string[];
  healthcheck?: { test?: string | string[]; disable?: boolean };
  depends_on?: Record<string, { condition?: string }> | string[];
};
type Compose = { services: Record<string, Service>; volumes?: Record<string, unknown> };

function readCompose(file: string): { text: string; compose: Compose } {
  const text = readFileSync(resolve(ROOT, file), 'utf8');
  const document = parseDocument(text, { merge: true });
  expect({ file, errors: document.errors.map((e) => e.message), warnings: document.warnings.map((w) => w.message) }).toEqual({ file, errors: [], warnings: [] });
  return { text, compose: document.toJS() as Compose };
}

/** What compose substitutes for ${NAME:-default} (and ${NAME}) when nothing is set. */
function interpolate(value: string): string {
  return value.replace(/\$\{([A-Z0-9_]+)(?::?-([^}]*))?\}/g, (_, _name: string, fallback?: string) => fallback ?? '');
}

const isApp = (service: Service) => service.build !== undefined;

/** Why the engine would refuse to start on these settings, or undefined. */
function configProblem(env: Record<string, string>): string | undefined {
  try {
    loadConfig(env);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

describe.each(COMPOSE_FILES)('%s', (file) => {
  const { text, compose } = readCompose(file);
  const services = Object.entries(compose.services);
  const apps = services.filter(([, service]) => isApp(service));
  const stores = services.filter(([, service]) => !isApp(service));

  it('needs no variable set to start: every ${…} has a default', () => {
    expect(text.match(/\$\{[^}]*:?\?[^}]*\}/g) ?? []).toEqual([]);
    expect(text.match(/\$\{[A-Z0-9_]+\}/g) ?? []).toEqual([]);
  });

  it('has app services, each restarted unless stopped, with its data in a named volume at /app/data', () => {
    expect(apps.length).toBeGreaterThan(0);
    for (const [name, app] of apps) {
      expect({ name, restart: app.restart }).toEqual({ name, restart: 'unless-stopped' });
      const data = (app.volumes ?? []).find((volume) => volume.split(':')[1] === '/app/data');
      expect({ name, data }).toEqual({ name, data: expect.stringMatching(/^[a-z][a-z0-9_-]*:\/app\/data$/) });
      expect(Object.keys(compose.volumes ?? {})).toContain(data!.split(':')[0]);
    }
  });

  it('gives every store a health check, and publishes no PostgreSQL port on the host', () => {
    expect(stores.length).toBeGreaterThan(0);
    for (const [name, store] of stores) {
      expect({ name, healthcheck: store.healthcheck?.test }).toEqual({ name, healthcheck: expect.anything() });
      expect(store.healthcheck?.disable).not.toBe(true);
      expect({ name, restart: store.restart }).toEqual({ name, restart: 'unless-stopped' });
      if (store.image?.startsWith('postgres')) expect({ name, ports: store.ports }).toEqual({ name, ports: undefined });
    }
  });

  it('makes each app wait for healthy stores, every one its settings name', () => {
    for (const [name, app] of apps) {
      const env = Object.fromEntries(Object.entries(app.environment ?? {}).map(([key, value]) => [key, interpolate(String(value))]));
      const dependsOn = app.depends_on ?? {};
      expect({ name, dependsOnIsAMap: !Array.isArray(dependsOn) }).toEqual({ name, dependsOnIsAMap: true });
      const dependencies = Object.entries(dependsOn as Record<string, { condition?: string }>);
      for (const [dependency, { condition }] of dependencies) {
        expect({ name, dependency, condition }).toEqual({ name, dependency, condition: 'service_healthy' });
        expect({ name, dependency, healthcheck: compose.services[dependency]?.healthcheck?.test }).toEqual({ name, dependency, healthcheck: expect.anything() });
      }
      const hosts = (url: string) => new URL(url.replace(/^[a-z+]+:\/\//, 'http://').replace(/,.*?(?=[/?]|$)/g, '')).hostname;
      const named = new Set<string>();
      if (env['READ_STORE'] === 'postgres') named.add(hosts(env['READ_STORE_URL']!));
      if (env['EVENT_STORE'] === 'postgres') named.add(hosts(env['EVENT_STORE_URL']!));
      if (env['EVENT_STORE'] === 'eventstoredb') {
        const authority = env['EVENTSTORE_CONNECTION_STRING']!.replace(/^[a-z+]+:\/\//, '').split(/[/?]/)[0]!;
        for (const host of authority.split(',')) named.add(host.split(':')[0]!);
      }
      expect({ name, dependencies: dependencies.map(([dependency]) => dependency).sort() }).toEqual({ name, dependencies: [...named].sort() });
    }
  });

  it('gives each app settings the engine accepts', () => {
    for (const [name, app] of apps) {
      const env = Object.fromEntries(Object.entries(app.environment ?? {}).map(([key, value]) => [key, interpolate(String(value))]));
      expect({ name, problem: configProblem(env) }).toEqual({ name, problem: undefined });
    }
  });
});

describe('docker-compose.yml', () => {
  it('runs Arrears on PostgreSQL alone in a profile, needing no KurrentDB', () => {
    const { compose } = readCompose('docker-compose.yml');
    const alone = Object.values(compose.services).filter((service) => isApp(service) && service.environment?.['EVENT_STORE'] === 'postgres');
    expect(alone).toHaveLength(1);
    expect(alone[0]!.profiles).toEqual(['postgres-only']);
    expect(Object.keys(alone[0]!.depends_on ?? {})).toEqual(['postgres']);
    expect(alone[0]!.environment?.['READ_STORE']).toBe('postgres');
  });
});

/** The Dockerfile's instructions, continuation lines joined, comments dropped, by stage. */
function dockerfileStages(): { from: string; instructions: { keyword: string; args: string }[] }[] {
  const lines = readFileSync(resolve(ROOT, 'Dockerfile'), 'utf8')
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const stages: { from: string; instructions: { keyword: string; args: string }[] }[] = [];
  for (const line of lines) {
    const [, keyword = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    if (keyword.toUpperCase() === 'FROM') stages.push({ from: args, instructions: [] });
    else stages.at(-1)!.instructions.push({ keyword: keyword.toUpperCase(), args });
  }
  return stages;
}

describe('Dockerfile', () => {
  const stages = dockerfileStages();
  const final = stages.at(-1)!;
  const last = (keyword: string) => final.instructions.filter((i) => i.keyword === keyword).at(-1);

  it("builds on the Node LTS package.json's engines name", () => {
    const engines = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')).engines.node as string;
    const major = /^>=\s*(\d+)/.exec(engines)?.[1];
    for (const stage of stages) expect(stage.from).toMatch(new RegExp(`^node:${major}-bookworm-slim\\b`));
  });

  it('compiles at image build time and starts the built engine with node, never npm', () => {
    expect(stages.slice(0, -1).flatMap((stage) => stage.instructions).some((i) => i.keyword === 'RUN' && /\bnpm run build\b/.test(i.args))).toBe(true);
    const start = [last('ENTRYPOINT')?.args ?? '', last('CMD')?.args ?? ''].join(' ');
    expect(start).toMatch(/"node"/);
    expect(start).toMatch(/dist\/src\/main\.js/);
    expect(start).not.toMatch(/\bnpm\b|\bnpx\b|\btsc\b/);
    expect(final.instructions.some((i) => i.keyword === 'COPY' && /--from=\S+ \/app\/dist /.test(i.args))).toBe(true);
  });

  it('runs as a non-root USER, with /app/data a VOLUME that user owns', () => {
    const user = last('USER')?.args;
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    const userAt = final.instructions.lastIndexOf(last('USER')!);
    expect(final.instructions.findIndex((i) => i.keyword === 'CMD')).toBeGreaterThan(userAt);
    expect(last('VOLUME')?.args).toMatch(/"\/app\/data"|(^|\s)\/app\/data(\s|$)/);
    const chown = final.instructions.findIndex((i) => i.keyword === 'RUN' && new RegExp(`chown (-R )?${user}(:${user})? /app/data`).test(i.args));
    expect(chown).toBeGreaterThanOrEqual(0);
    expect(chown).toBeLessThan(userAt);
  });

  it('has a HEALTHCHECK asking GET /health with node (no curl in the image)', () => {
    const healthcheck = last('HEALTHCHECK')?.args ?? '';
    expect(healthcheck).toMatch(/CMD \["node", "-e", ".*fetch\(.*\/health/);
    expect(healthcheck).not.toMatch(/curl|wget/);
  });

  it('sends no local installs, builds or Node toolchains to the build', () => {
    const ignored = readFileSync(resolve(ROOT, '.dockerignore'), 'utf8').split(/\r?\n/);
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', 'data', '.tools']));
  });
});
