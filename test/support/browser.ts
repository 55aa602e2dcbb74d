// Real Chromium for end-to-end tests through playwright-core (never a downloaded browser).
// Without a browser the tests skip with a loud notice — except under CI=true, where that fails.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { pino } from 'pino';
import { afterAll, beforeAll, expect } from 'vitest';
import { createValley, type Valley, type ValleyOptions } from '@valley/server';
import { px, tg, type SessionState } from '@valley/shared';
import { EVENTS } from '@valley/shared/protocol';
import { render } from '../../client/src/i18n/render.ts';
import { clientDist, root } from './paths.ts';
import { createSession, hostClient, startServer, type Client, type TestServer } from './server.ts';
import { screenWordsDetector, type Finding } from './screen-words.ts';

export { root };
export const artifacts = join(root, 'test-artifacts/screens');
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const haveChromium = existsSync(chromiumPath);

if (!haveChromium) {
  if (process.env.CI === 'true') throw new Error(`CI=true but no Chromium at ${chromiumPath}: browser tests cannot be skipped in CI`);
  console.warn(
    `\n\n  !!! No Chromium at ${chromiumPath}: END-TO-END BROWSER TESTS ARE SKIPPED.\n  !!! Install it (apt-get install chromium) or set CHROMIUM_PATH.\n\n`,
  );
}

/** The client, built once for the whole run by the global setup (its own folder: `npm start`'s is untouched). */
export async function buildClient(): Promise<string> {
  return clientDist;
}

// ── Every screen the suite visits, read as a person would ─────────────────────────────────────────
// Each page of a browser from launch() reports its text (what is drawn, the document's title, every
// title, aria-label and placeholder) whenever its DOM settles, at each screenshot and before the browser
// closes. After the file's tests, any raw rule id or catalogue key found fails the file.

export interface ScreenText {
  test: string;
  url: string;
  text: string;
}
/** The distinct screens this test file saw (one entry per distinct text and address). */
export const screens: ScreenText[] = [];
const seen = new Set<string>();
const detect = screenWordsDetector();

function record(url: string, text: string) {
  const id = `${url}\n${text}`;
  if (seen.has(id)) return;
  seen.add(id);
  screens.push({ test: expect.getState().currentTestName ?? '(outside a test)', url, text });
}

/** Runs in the page: the text of the screen as it is now. */
const readScreen = () => {
  const attrs = [...document.querySelectorAll('[title],[aria-label],[placeholder]')].flatMap((e) =>
    ['title', 'aria-label', 'placeholder'].map((a) => e.getAttribute(a) ?? '').filter((v) => v !== ''),
  );
  // SVG tooltips are <title> elements: not drawn, so not in innerText, but a hover shows them.
  const tips = [...document.querySelectorAll('svg title')].map((e) => e.textContent ?? '');
  return [document.title, document.body?.innerText ?? '', ...attrs, ...tips].join('\n');
};

const observer = `(() => {
  const read = ${readScreen.toString()};
  let timer = 0, last = '';
  const send = () => {
    timer = 0;
    if (!document.body || !window.__valleyScreen) return;
    const text = read();
    if (text === last) return;
    last = text;
    window.__valleyScreen(location.pathname + location.search, text);
  };
  const soon = () => { if (!timer) timer = setTimeout(send, 150); };
  new MutationObserver(soon).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
})();`;

async function watchContext(context: BrowserContext) {
  await context.exposeFunction('__valleyScreen', (url: string, text: string) => record(url, text));
  await context.addInitScript({ content: observer });
  const close = context.close.bind(context);
  context.close = async (options) => {
    for (const page of context.pages()) await collectScreen(page);
    await close(options);
  };
}

/** Read a page's screen now (a screenshot, a page about to close). */
export async function collectScreen(page: Page) {
  if (page.isClosed()) return;
  try {
    record(new URL(page.url()).pathname + new URL(page.url()).search, await page.evaluate(readScreen));
  } catch {
    // A page navigating or closing has no screen to read; its last settled one was already reported.
  }
}

/** Every finding on the screens collected so far, with where it was seen; clears them when `take`. */
export function screenFindings(take = false): (Finding & { test: string; url: string })[] {
  const all = screens.flatMap((s) => detect(s.text).map((f) => ({ ...f, test: s.test, url: s.url })));
  if (take) {
    screens.length = 0;
    seen.clear();
  }
  return all;
}

// Once per test file, after its own hooks (after hooks run last-registered first, and this module is
// imported before the file's body): keep the texts as an artefact and fail on anything raw.
afterAll(async () => {
  if (screens.length === 0) return;
  const file = (expect.getState().testPath ?? 'e2e')
    .split('/')
    .pop()!
    .replace(/\.e2e\.test\.ts$/, '');
  await mkdir(join(artifacts, 'text'), { recursive: true });
  await writeFile(join(artifacts, 'text', `${file}.json`), JSON.stringify(screens, null, 1));
  const found = screenFindings(true);
  const unique = [...new Map(found.map((f) => [`${f.kind} ${f.match}`, f])).values()];
  expect(unique.map((f) => `${f.kind} "${f.match}" in "${f.line}" (${f.url}, ${f.test})`)).toEqual([]);
});

export async function launch(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    await watchContext(context);
    return context;
  };
  browser.newPage = async (options) => {
    const page = await (await browser.newContext(options)).newPage();
    return page;
  };
  const close = browser.close.bind(browser);
  browser.close = async (options) => {
    for (const context of browser.contexts()) for (const page of context.pages()) await collectScreen(page);
    await close(options);
  };
  return browser;
}

export const PROJECTOR = { width: 1920, height: 1080 };
export const LAPTOP = { width: 1366, height: 768 };

export async function screenshot(page: Page, name: string) {
  await collectScreen(page);
  await mkdir(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

/** A catalogue entry with its placeholders filled as the pages fill them, to find their words in either language. */
export const fill = (s: string, p: Record<string, string | number>) => render({ entry: s } as unknown as Parameters<typeof render>[0], 'entry', p);

export interface Stage {
  base: string;
  /** The server itself, for a test that compares the pages with its live state. */
  valley: Valley | null;
  /** A fresh browser context (its own localStorage: another person) at this size and path. */
  open(size: { width: number; height: number }, path: string): Promise<Page>;
}

/**
 * For a test file: the real server with the built client, and one Chromium, closed afterwards.
 * `listenOn`: the address the server listens on (the pages always open it at 127.0.0.1).
 */
export function useStage(opts: Partial<ValleyOptions> = {}, listenOn = '127.0.0.1'): Stage {
  let valley: Valley | null = null;
  let browser: Browser | null = null;
  const stage: Stage = {
    base: '',
    valley: null,
    async open(size, path) {
      const p = await (await browser!.newContext({ viewport: size })).newPage();
      // Generous: CI shares two cores between these pages and the heavier test files running beside them.
      p.setDefaultTimeout(45_000);
      await p.goto(stage.base + path);
      return p;
    },
  };
  beforeAll(async () => {
    const clientDir = await buildClient();
    valley = await createValley({ dataDir: await mkdtemp(join(tmpdir(), 'valley-e2e-')), clientDir, logger: pino({ level: 'silent' }), ...opts });
    stage.base = `http://127.0.0.1:${(await valley.listen(0, listenOn)).port}`;
    stage.valley = valley;
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await valley?.close();
  });
  return stage;
}

export interface BotHall {
  readonly server: TestServer;
  readonly host: Client;
  readonly session: { sessionId: string; code: string; hostToken: string };
  /** The session's live state on the server. */
  live(): SessionState;
  /** The host's own browser: the host key in localStorage (as the page that made the session keeps it). */
  openHost(size: { width: number; height: number }, lang: 'en' | 'zh', query?: string): Promise<Page>;
}

/**
 * For a test file: a big session of bots on the real server in fake time (so what the cards show is
 * fixed until the test advances the clock), and one Chromium. `tables` tables are created, the i-th
 * playing `scenarioOfTable(i)`, with quick settings for Two Generals and Paxos; every seat gets a bot,
 * every game starts, and the valley runs for `settleMs` (in half-second steps) before the tests.
 */
export function useBotHall(opts: { tables: number; scenarioOfTable: (i: number) => string; settleMs: number }): BotHall {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  let host: Client | undefined;
  let session: BotHall['session'] | undefined;
  const hall: BotHall = {
    get server() {
      return server!;
    },
    get host() {
      return host!;
    },
    get session() {
      return session!;
    },
    live: () => server!.valley.registry.byId.get(session!.sessionId)!.state,
    async openHost(size, lang, query = '') {
      const context = await browser!.newContext({ viewport: size });
      // A string: the tests are compiled without the DOM's types.
      const key = JSON.stringify({ hostToken: session!.hostToken, code: session!.code });
      await context.addInitScript({ content: `localStorage.setItem(${JSON.stringify(`valley.host.${session!.sessionId}`)}, ${JSON.stringify(key)});` });
      const p = await context.newPage();
      p.setDefaultTimeout(20_000);
      await p.goto(`${server!.url}/host/${session!.sessionId}?lang=${lang}${query}`);
      return p;
    },
  };
  beforeAll(async () => {
    // The setup sends a command per table and per seat on one socket: lift the per-socket rate for it.
    server = await startServer({ clientDir: clientDist, limits: { socketRate: 10_000, socketBurst: 10_000 } });
    browser = await launch();
    session = await createSession(server.url);
    host = await hostClient(server.url, session);
    const quick = { captureRate: 0.25, delayMinMs: 1000, delayMaxMs: 3000, deadlineMs: 600_000 };
    const commands: unknown[] = [
      { type: 'setSettings', scenario: 'two-generals', settings: { ...tg.defaultConfig, ...quick } },
      { type: 'setSettings', scenario: 'paxos', settings: { ...px.defaultConfig, ...quick } },
    ];
    for (let i = 0; i < opts.tables; i++) commands.push({ type: 'createTable', scenario: opts.scenarioOfTable(i) });
    for (const c of commands) expect(await host.call(EVENTS.hostCommand, c)).toEqual({ ok: true });
    const live = hall.live();
    const seats = live.tableOrder.flatMap((table) => Object.keys(live.tables[table]!.seats).map((seat) => ({ table, seat })));
    await Promise.all(
      seats.map(async (s) => expect(await host!.call(EVENTS.hostCommand, { type: 'setSeat', ...s, occupant: { type: 'bot' } })).toEqual({ ok: true })),
    );
    expect(await host.call(EVENTS.hostCommand, { type: 'startGames', table: null })).toEqual({ ok: true });
    for (let ms = 0; ms < opts.settleMs; ms += 500) await server.clock.advance(500);
  });
  afterAll(async () => {
    host?.close();
    await browser?.close();
    await server?.close();
  });
  return hall;
}
