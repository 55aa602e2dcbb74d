// The replay page in headless Chromium, with the bench's 100,000-event log: the client is built
// afresh and served by the real server (createValley, a temporary DATA_DIR, 127.0.0.1:0); the log is
// given to the page's file input, and every time is read on the page's own clock, from the input
// (a change, a click, a slider move) to the next frame after the page shows its result:
// - the file chosen → the game list (reading the file, parsing, indexing, drawing the list);
// - a click on the game with the most events → its space-time diagram and panels drawn;
// - the scrub slider moved to 20 positions across that game, and Home/End: each step → the panels
//   showing the state at the new cursor.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { pino } from 'pino';
import { build } from 'vite';
import { createValley } from '@valley/server';
import { openLog } from '@valley/shared';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface BrowserFigures {
  figures: Record<string, number | string | null>;
  targets: Record<string, string>;
  met: Record<string, boolean>;
  notes: string[];
}

const r2 = (x: number) => Math.round(x * 100) / 100;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

/** Runs in the page: resolves at the next frame after `done()` holds, with the time then. */
const untilShown = `(done) => new Promise((resolve, reject) => {
  const t0 = performance.now();
  const check = () => {
    if (done()) requestAnimationFrame(() => setTimeout(() => resolve(performance.now())));
    else if (performance.now() - t0 > 60000) reject(new Error('not shown within 60 s'));
    else setTimeout(check, 1);
  };
  check();
})`;

export async function replayInBrowser(text: string): Promise<BrowserFigures> {
  if (!existsSync(chromiumPath)) return { figures: {}, targets: {}, met: {}, notes: [`no Chromium at ${chromiumPath}: the browser figures were not taken`] };
  const opened = openLog(text);
  if (!opened.ok) throw new Error('the log does not open');
  // The game with the most events, and where it stands in the page's list (the same order).
  let largest = 0;
  opened.games.forEach((g, i) => {
    if (g.events.length > opened.games[largest]!.events.length) largest = i;
  });
  const n = opened.games[largest]!.events.length;

  const work = await mkdtemp(join(tmpdir(), 'valley-bench-replay-'));
  const clientDir = join(work, 'client');
  await build({ configFile: join(root, 'client/vite.config.ts'), logLevel: 'silent', build: { outDir: clientDir, emptyOutDir: true } });
  const valley = await createValley({ dataDir: join(work, 'data'), clientDir, logger: pino({ level: 'silent' }) });
  const base = `http://127.0.0.1:${(await valley.listen(0, '127.0.0.1')).port}`;
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    const page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
    page.setDefaultTimeout(60_000);
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${base}/replay?lang=en`);
    await page.locator('input[type=file]').waitFor({ state: 'attached' });
    // The scripts have no DOM types: what runs on the page is written as text. Capturing listeners
    // on the document run before the page's own.
    await page.evaluate(`window.__bench = {};
      document.addEventListener('change', () => (window.__bench.chosen = performance.now()), true);
      document.addEventListener('click', () => (window.__bench.clicked = performance.now()), true);`);

    // The file chosen → the game list drawn.
    await page.locator('input[type=file]').setInputFiles({ name: 'hall.ndjson', mimeType: 'application/x-ndjson', buffer: Buffer.from(text) });
    const listShown = await page
      .evaluate(`(${untilShown})(() => document.querySelectorAll('.game-list li').length === ${opened.games.length})`)
      .catch(async (err: Error) => {
        // Say what the page shows instead: a changed page, or a refusal of the file.
        const shown = await page.evaluate(`document.querySelectorAll('.game-list li').length + ' games listed; ' + document.body.innerText.slice(0, 400)`);
        throw new Error(
          `${err.message}: ${opened.games.length} games in the log, the page shows ${String(shown)}; page errors: ${pageErrors.join(' | ') || 'none'}`,
        );
      });
    const listMs = (listShown as number) - ((await page.evaluate('window.__bench.chosen')) as number);
    // Of which parsing and indexing (the page measures its own openLog).
    const parseMs = (await page.evaluate(`performance.getEntriesByName('valley:openLog').at(-1)?.duration ?? null`)) as number | null;

    // A click on the largest game → its diagram and panels drawn.
    const position = (k: number) => `Event ${k} of ${n} ·`;
    await page.locator('.game-list li').nth(largest).locator('button').click();
    const gameShown = await page.evaluate(
      `(${untilShown})(() => document.querySelector('.spacetime') && document.querySelector('.seat-states') && document.querySelector('.position')?.textContent?.startsWith(${JSON.stringify(position(n))}))`,
    );
    const gameMs = (gameShown as number) - ((await page.evaluate('window.__bench.clicked')) as number);
    const arrows = await page.locator('.spacetime .msg').count();

    // Scrubbing: the slider to 20 positions across the game, then Home and End.
    const steps: number[] = [];
    for (let i = 0; i < 20; i++) {
      const k = Math.round((i * n) / 19);
      const ms = await page.evaluate(
        `(async () => {
          const slider = document.querySelector('input.scrub');
          const t0 = performance.now();
          slider.value = '${k}';
          slider.dispatchEvent(new Event('input', { bubbles: true }));
          return (await (${untilShown})(() => document.querySelector('.position').textContent.startsWith(${JSON.stringify(position(k))}))) - t0;
        })()`,
      );
      steps.push(ms as number);
    }
    for (const [key, k] of [
      ['Home', 0],
      ['End', n],
    ] as const) {
      await page.locator('h1').click(); // the keys work anywhere on the page but in a field
      const ms = await page.evaluate(
        `(async () => {
          const t0 = performance.now();
          document.body.dispatchEvent(new KeyboardEvent('keydown', { key: '${key}', bubbles: true }));
          return (await (${untilShown})(() => document.querySelector('.position').textContent.startsWith(${JSON.stringify(position(k))}))) - t0;
        })()`,
      );
      steps.push(ms as number);
    }
    const p50 = median(steps);
    const max = Math.max(...steps);
    return {
      figures: {
        'browser: file → game list ms': r2(listMs),
        'browser: of which openLog ms': parseMs === null ? null : r2(parseMs),
        'browser: largest game events': n,
        'browser: largest game arrows drawn': arrows,
        'browser: open game → diagram ms': r2(gameMs),
        'browser: scrub step p50 ms': r2(p50),
        'browser: scrub step max ms': r2(max),
      },
      targets: {
        'browser: file → game list ms': '< 1000',
        'browser: open game → diagram ms': '< 1000',
        'browser: scrub step max ms': '< 100',
      },
      met: {
        'browser: file → game list ms': listMs < 1000,
        'browser: open game → diagram ms': gameMs < 1000,
        'browser: scrub step max ms': max < 100,
      },
      notes: [],
    };
  } finally {
    await browser.close();
    await valley.close();
    await rm(work, { recursive: true, force: true });
  }
}
