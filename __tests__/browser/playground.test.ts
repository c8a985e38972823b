// The playground page in a real headless Chromium (Debian's `chromium`, driven by playwright-core):
// it loads from the demo server, decodes every cell with express-envelope/client in the page, and
// the preset switch shows the same route in every envelope. Skips (one line) without Chromium,
// unless EXPECT_SERVICES is set (CI), where its absence is a failure.
//
//   PLAYGROUND_SCREENSHOT=1 npx jest __tests__/browser   # also saves docs/playground.png

import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Application } from 'express';
import { type BrowserContext, type Page, chromium } from 'playwright-core';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createDemoApp } = require('../../examples/app') as { createDemoApp: (options?: { clientFile?: string }) => Application };

const ROOT = join(__dirname, '..', '..');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const REQUIRED = Boolean(process.env.EXPECT_SERVICES) && process.env.EXPECT_SERVICES !== '0';
const AVAILABLE = existsSync(CHROMIUM);
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

jest.setTimeout(120_000);

const SCENARIOS = ['success', 'info', 'created', 'thrown 404', '400', 'validation', 'malformed body', 'crash', '429', 'unknown route'];

/** What each row of the grid shows, scenario by scenario: the client's verdict on each response. */
const GRID: Record<string, string[]> = {
  vbapi: [
    'success 200',
    'success 200',
    'success 201',
    'error 404',
    'error 400',
    'error 400',
    'error 400',
    'error 500',
    'error 429',
    'error 404',
  ],
  backendResponse: [
    'success 200',
    'info 200',
    'success 201',
    'error 404',
    'error 400',
    'error 422',
    'error 422',
    'error 500',
    'error 429',
    'error 404',
  ],
  wispanel: [
    'success 200',
    'success 200',
    'success 201',
    'error 404 NOT_FOUND',
    'error 400 VALIDATION_ERROR',
    'error 400 VALIDATION_ERROR',
    'error 400 VALIDATION_ERROR',
    'error 500 INTERNAL_ERROR',
    'error 429 RATE_LIMITED',
    'error 404 NOT_FOUND',
  ],
  'wispanel portal': [
    'success 200',
    'success 200',
    'success 201',
    'error 404 NOT_FOUND',
    'error 400 VALIDATION_ERROR',
    'error 422 VALIDATION_ERROR',
    'error 422 VALIDATION_ERROR',
    'error 500 INTERNAL_ERROR',
    'error 429 RATE_LIMITED',
    'error 404 NOT_FOUND',
  ],
  'wispanel license': [
    'success 200',
    'success 200',
    'success 201',
    'error 404 NOT_FOUND',
    'error 400 VALIDATION_ERROR',
    'error 422 VALIDATION_ERROR',
    'error 422 VALIDATION_ERROR',
    'error 500 INTERNAL_ERROR',
    'error 429 RATE_LIMITED',
    'error 404 NOT_FOUND',
  ],
  'wispanel lean': [
    'success 200',
    'success 200',
    'success 201',
    'error 404 NOT_FOUND',
    'error 400 VALIDATION_ERROR',
    'error 400 VALIDATION_ERROR',
    'error 400 VALIDATION_ERROR',
    'error 500 INTERNAL_ERROR',
    'error 429 RATE_LIMITED',
    'error 404 NOT_FOUND',
  ],
  'wispanel bare': [
    'success 200',
    'success 200',
    'success 201',
    'error 404',
    'error 400',
    'error 400',
    'error 400',
    'error 500',
    'error 429',
    'error 404',
  ],
  webServiceReturn: [
    'success 200',
    'success 200',
    'success 200',
    'error 200 WSR-404',
    'error 200 WSR-400',
    'error 200 WSR-400',
    'error 200 WSR-400',
    'error 500 WSR-500',
    'error 200 WSR-429',
    'error 200 WSR-404',
  ],
  statusOk: [
    'success 200',
    'success 200',
    'success 201',
    'error 200 not_found',
    'error 200 bad_request',
    'error 200 validation_error',
    'error 400 validation_error',
    'error 500 internal_server_error',
    'error 429 too_many_requests',
    'error 404 not_found',
  ],
  jsend: [
    'success 200',
    'success 200',
    'success 201',
    'error 404',
    'error 400',
    'error 422',
    'error 400',
    'error 500',
    'error 429',
    'error 404',
  ],
  problem: [
    'success 200',
    'success 200',
    'success 201',
    'error 404',
    'error 400',
    'error 400',
    'error 400',
    'error 500',
    'error 429 …quota-exceeded',
    'error 404',
  ],
};

const PREFIX: Record<string, string> = {
  vbapi: 'vbapi',
  backendResponse: 'backend-response',
  wispanel: 'wispanel',
  'wispanel portal': 'wispanel-portal',
  'wispanel license': 'wispanel-license',
  'wispanel lean': 'wispanel-lean',
  'wispanel bare': 'wispanel-bare',
  webServiceReturn: 'web-service-return',
  statusOk: 'status-ok',
  jsend: 'jsend',
  problem: 'problem',
};

/** The thrown 404 as the page prints it for each preset (the decoded object, keys in their order). */
function thrown404(preset: string): string {
  const requestId = `pg-${PREFIX[preset]}-thrown-404`;
  const base = { ok: false, kind: 'error', status: 404, message: 'Client not found', issues: [] as unknown[] };
  const CODES: Record<string, Record<string, unknown>> = {
    backendResponse: { action: 'error' },
    wispanel: { code: 'NOT_FOUND' },
    'wispanel portal': { code: 'NOT_FOUND' },
    'wispanel license': { code: 'NOT_FOUND' },
    'wispanel lean': { code: 'NOT_FOUND' },
    webServiceReturn: { status: 200, code: 'WSR-404' },
    statusOk: { status: 200, code: 'not_found' },
  };
  return JSON.stringify({ ...base, ...CODES[preset], requestId }, null, 2);
}

// Without Chromium the suite is skipped under a title the summary reporter names on the run's last
// line (scripts/summary-reporter.js), as the Redis suites are.
const TITLE = 'the playground page in headless Chromium';
const SKIP_TITLE = `[skipped: needs Chromium: no Chromium at ${CHROMIUM}; install it (apt-get install -y chromium) or set CHROMIUM_PATH to run it] ${TITLE}`;
const suite = AVAILABLE || REQUIRED ? describe : describe.skip;

suite(AVAILABLE || REQUIRED ? TITLE : SKIP_TITLE, () => {
  let work: string;
  let server: Server;
  let base: string;
  let context: BrowserContext;
  let page: Page;
  let stderrWrite: jest.SpiedFunction<typeof process.stderr.write>;

  beforeAll(async () => {
    if (!AVAILABLE) throw new Error(`EXPECT_SERVICES is set but there is no Chromium at ${CHROMIUM}: apt-get install -y chromium`);
    work = await mkdtemp(join(tmpdir(), 'playground-browser-'));
    // The page imports the client's browser build; made here from the sources, as scripts/build.mjs makes it.
    const clientFile = join(work, 'client.mjs');
    await build({
      entryPoints: [join(ROOT, 'client/index.ts')],
      outfile: clientFile,
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      target: 'es2020',
      logLevel: 'silent',
    });
    // The crash route's log lines are expected on stderr; keep the test output clean.
    stderrWrite = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    server = createDemoApp({ clientFile }).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    context = await chromium.launchPersistentContext(join(work, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1280, height: 800 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${base}/`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
    expect(problems).toEqual([]);
  });

  afterAll(async () => {
    await context?.close();
    if (server) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    stderrWrite?.mockRestore();
    if (work) await rm(work, { recursive: true, force: true });
  });

  test('the grid: every preset down the side, every scenario across, each cell decoded in the page', async () => {
    const headers = await page.locator('#grid thead th').allTextContents();
    expect(headers).toEqual(['', ...SCENARIOS]);
    const rows: Record<string, string[]> = {};
    for (const preset of Object.keys(GRID)) {
      rows[preset] = await page.locator(`#grid tbody tr[data-preset="${preset}"] button.cell`).allTextContents();
    }
    expect(rows).toEqual(GRID);
  });

  test('a shortened code keeps its full text for hover and focus', async () => {
    const cell = page.locator('button.cell[data-label="problem / 429"]');
    expect(await cell.getAttribute('title')).toBe('error 429 https://iana.org/assignments/http-problem-types#quota-exceeded');
    expect(await cell.getAttribute('data-full')).toBe('error 429 https://iana.org/assignments/http-problem-types#quota-exceeded');
    expect(await page.locator('button.cell[title]').count()).toBe(1);
  });

  // A phone and a laptop: the page itself never scrolls sideways (the grid scrolls in its box), the
  // legend is there, and the first Tab lands on the first cell with a visible outline.
  test.each([
    [1280, 800],
    [390, 844],
  ])('at %i × %i: no sideways page scroll, a legend, a visible focus on the first cell after Tab', async (width, height) => {
    const fresh = await context.newPage();
    try {
      await fresh.setViewportSize({ width, height });
      await fresh.goto(`${base}/`);
      await fresh.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
      // Page-side code as text: the tests compile without the DOM library.
      const widths = (await fresh.evaluate('({ page: document.documentElement.scrollWidth, viewport: window.innerWidth })')) as {
        page: number;
        viewport: number;
      };
      expect(widths.page).toBeLessThanOrEqual(widths.viewport);
      const legend = (await fresh.locator('#legend').textContent()) ?? '';
      expect(await fresh.locator('#legend').isVisible()).toBe(true);
      for (const words of ['error 200', 'green', 'red', 'amber', 'portal', 'license', 'lean', 'bare']) expect(legend).toContain(words);
      await fresh.keyboard.press('Tab');
      const focus = (await fresh.evaluate(
        '(() => { const active = document.activeElement; const style = getComputedStyle(active); return { label: active.dataset.label, outline: style.outlineStyle, width: parseFloat(style.outlineWidth) }; })()',
      )) as { label?: string; outline: string; width: number };
      expect(focus.label).toBe('vbapi / success');
      expect(focus.outline).not.toBe('none');
      expect(focus.width).toBeGreaterThanOrEqual(2);
    } finally {
      await fresh.close();
    }
  });

  test('a cell shows the wire and the decoded result side by side', async () => {
    await page.locator('button.cell[data-label="wispanel portal / validation"]').click();
    expect(await page.locator('#route').textContent()).toBe('wispanel portal · validation: GET /wispanel-portal/validation');
    const wire = (await page.locator('#wire').textContent()) as string;
    expect(wire.split('\n')[0]).toBe('HTTP/1.1 422 Unprocessable Entity');
    expect(wire).toContain('\nx-request-id: pg-wispanel-portal-validation\n');
    expect(wire).toContain('\ncontent-type: application/json; charset=utf-8\n');
    expect(wire).toContain('\nx-content-type-options: nosniff\n');
    expect(
      wire.endsWith(
        '\n\n{"success":false,"error":"Validation failed","code":"VALIDATION_ERROR","details":{"name":["Required"],"email":["Must be an email address"]}}',
      ),
    ).toBe(true);
    expect(await page.locator('#decoded').textContent()).toBe(
      JSON.stringify(
        {
          ok: false,
          kind: 'error',
          status: 422,
          message: 'Validation failed',
          issues: [
            { path: 'name', message: 'Required' },
            { path: 'email', message: 'Must be an email address' },
          ],
          code: 'VALIDATION_ERROR',
          requestId: 'pg-wispanel-portal-validation',
        },
        null,
        2,
      ),
    );
  });

  test('the preset switch shows the same route in every envelope', async () => {
    await page.locator('button.cell[data-label="vbapi / thrown 404"]').click();
    for (const preset of Object.keys(GRID)) {
      await page.locator('#switch button', { hasText: new RegExp(`^${preset}$`) }).click();
      expect(await page.locator('#switch button[aria-pressed="true"]').textContent()).toBe(preset);
      expect(await page.locator('#route').textContent()).toBe(`${preset} · thrown 404: GET /${PREFIX[preset]}/clients/404`);
      expect(await page.locator('#decoded').textContent()).toBe(thrown404(preset));
    }
  });

  test('the 429 as the client reads it, with its Retry-After', async () => {
    await page.locator('button.cell[data-label="webServiceReturn / 429"]').click();
    const decoded = JSON.parse((await page.locator('#decoded').textContent()) as string) as Record<string, unknown>;
    expect(decoded).toEqual({
      ok: false,
      kind: 'error',
      status: 200,
      message: 'Too many requests, please try again later.',
      issues: [],
      code: 'WSR-429',
      requestId: 'pg-web-service-return-429',
      retryAfter: expect.any(Number),
    });
    if (process.env.PLAYGROUND_SCREENSHOT) {
      await page.locator('button.cell[data-label="statusOk / thrown 404"]').click();
      await page.locator('.grid-box').evaluate('(box) => { box.scrollLeft = 0; }');
      await page.screenshot({ path: join(ROOT, 'docs', 'playground.png'), fullPage: true });
    }
  });
});
