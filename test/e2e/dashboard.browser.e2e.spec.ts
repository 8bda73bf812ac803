/// <reference lib="dom" />
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { TEST_KEYS, bearer } from '../support/api-keys.js';
import { EngineProcess } from '../support/engine-process.js';
import { waitFor } from '../support/wait-for.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const CLI = resolve('dist/src/cli.js');
const SCREENSHOT = resolve('test-output/dashboard.png');
/** CI installs Debian's chromium and requires this test; elsewhere it is skipped, saying so, when the browser is missing. */
const browserRequired = process.env['REQUIRE_BROWSER_TESTS'] === '1';
const browserPresent = existsSync(CHROMIUM);
if (!browserPresent && !browserRequired) console.log(`dashboard browser test SKIPPED: no ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
const describeWithBrowser = browserPresent || browserRequired ? describe : describe.skip;

interface Slice { key: string; loans: number; outstandingPrincipal: string }
interface Summary { asOf: string; currencies: { currency: string; byBucket: Slice[]; byClassification: Slice[] }[] }

/** The engine as production runs it, a simulated portfolio, and the dashboard in headless Chromium. */
describeWithBrowser('operator dashboard in a browser', () => {
  let folder: string;
  let engine: EngineProcess;
  let url: string;
  let browser: Browser;
  const api = async <T>(path: string, key: Parameters<typeof bearer>[0] = 'viewer', body?: object): Promise<{ status: number; json: T }> => {
    const response = await fetch(`${url}${path}`, {
      method: body ? 'POST' : 'GET',
      headers: { ...bearer(key), ...(body && { 'content-type': 'application/json' }) },
      ...(body && { body: JSON.stringify(body) }),
    });
    return { status: response.status, json: (await response.json()) as T };
  };
  const caughtUp = async () => {
    await new Promise((resolve) => setTimeout(resolve, 100)); // stay well inside the key's rate limit
    const { json: health } = await api<{ headPosition: number }>('/health');
    const { json: projections } = await api<{ checkpoint: number }[]>('/projections');
    return projections.every((p) => p.checkpoint === health.headPosition);
  };

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'arrears-dashboard-'));
    const stores = { SQLITE_EVENTS_PATH: join(folder, 'events.sqlite'), SQLITE_READ_MODELS_PATH: join(folder, 'read-models.sqlite') };
    ({ engine, url } = await EngineProcess.start(stores));
    const { NODE_OPTIONS: _jestOnly, ...inherited } = process.env;
    const simulated = spawnSync(process.execPath, [CLI, 'simulate', '--loans', '40', '--months', '5', '--seed', '11', '--start', '2026-01-01'], {
      env: { ...inherited, ...stores },
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (simulated.status !== 0) throw new Error(`simulate failed: ${simulated.stderr}`);
    await waitFor(caughtUp, 'projections to catch up with the simulated portfolio', 60_000);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await engine?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('shows the bucket figures the API gives, and follows a payment without a reload', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1800 } });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
    const offSite: string[] = [];
    page.on('request', (request) => !request.url().startsWith(url) && offSite.push(request.url()));

    await page.goto(url);
    await page.fill('#key', TEST_KEYS.viewer);
    await page.click('#key-form button');
    await page.waitForSelector('[data-testid="bucket-CNY-C-loans"]');

    const shown = async (kind: 'bucket' | 'class', slice: Slice) => ({
      key: slice.key,
      loans: Number(await page.textContent(`[data-testid="${kind}-CNY-${slice.key}-loans"]`)),
      outstandingPrincipal: await page.textContent(`[data-testid="${kind}-CNY-${slice.key}-principal"]`),
    });
    const before = (await api<Summary>('/overdue/summary')).json.currencies[0]!;
    expect(before.byBucket.filter((s) => s.key !== 'C').some((s) => s.loans > 0)).toBe(true);
    for (const slice of before.byBucket) expect(await shown('bucket', slice)).toEqual(slice);
    for (const slice of before.byClassification) expect(await shown('class', slice)).toEqual(slice);
    expect(await page.locator('#ratios svg polyline').count()).toBe(4);
    expect(await page.locator('#queue tbody tr').count()).toBeGreaterThan(0);

    // Drill down into the first loan of the queue: its schedule and its events.
    const overdueLoan = (await page.textContent('#queue tbody tr:first-child button'))!;
    await page.click('#queue tbody tr:first-child button');
    await page.waitForSelector('[data-testid="loan-events"] tbody tr');
    expect(await page.textContent('[data-testid="loan-heading"]')).toContain(overdueLoan);

    // A payment of everything the loan owes, recorded through the API: the page follows without reloading.
    await page.evaluate(() => Object.assign(window, { sameDocument: true }));
    const refreshesBefore = Number(await page.getAttribute('[data-testid="updated-at"]', 'data-refreshes'));
    const loan = (await api<{ schedule: { dueOn: string; outstanding: { total: string } }[] }>(`/loans/${overdueLoan}`)).json;
    const owed = loan.schedule.filter((line) => line.dueOn <= '2026-05-31').reduce((sum, line) => sum + Math.round(Number(line.outstanding.total) * 100), 0);
    const paid = await api(`/loans/${overdueLoan}/payments`, 'servicer', {
      paymentId: 'dashboard-test-payment',
      amount: (owed / 100).toFixed(2),
      receivedOn: '2026-06-01',
      channel: 'bank-transfer',
      reference: 'browser-test',
    });
    expect(paid.status).toBe(201);
    await waitFor(caughtUp, 'projections to apply the payment', 30_000);
    const after = (await api<Summary>('/overdue/summary')).json.currencies[0]!;
    expect(after.byBucket).not.toEqual(before.byBucket);
    await page.waitForFunction(
      (expected) => document.querySelector(`[data-testid="bucket-CNY-C-loans"]`)?.textContent === String(expected),
      after.byBucket.find((s) => s.key === 'C')!.loans,
      { timeout: 15_000 },
    );
    for (const slice of after.byBucket) expect(await shown('bucket', slice)).toEqual(slice);
    expect(Number(await page.getAttribute('[data-testid="updated-at"]', 'data-refreshes'))).toBeGreaterThan(refreshesBefore);
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    expect(await page.textContent('[data-testid="loan-events"]')).toContain('PaymentReceived');

    mkdirSync(resolve('test-output'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(offSite).toEqual([]);
    expect(problems).toEqual([]);
  }, 120_000);
});
