// Real Chromium for end-to-end tests through playwright-core (never a downloaded browser).
// Without a browser the tests skip with a loud notice — except under CI=true, where that fails.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { pino } from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { createValley, type Valley, type ValleyOptions } from '@valley/server';
import { render } from '../../client/src/i18n/render.ts';
import { clientDist, root } from './paths.ts';

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

export async function launch(): Promise<Browser> {
  return chromium.launch({
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
}

export const PROJECTOR = { width: 1920, height: 1080 };
export const LAPTOP = { width: 1366, height: 768 };

export async function screenshot(page: Page, name: string) {
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
