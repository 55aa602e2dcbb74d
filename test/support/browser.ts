// Real Chromium for end-to-end tests through playwright-core (never a downloaded browser).
// Without a browser the tests skip with a loud notice — except under CI=true, where that fails.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const artifacts = join(root, 'test-artifacts/screens');
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const haveChromium = existsSync(chromiumPath);

if (!haveChromium) {
  if (process.env.CI === 'true') throw new Error(`CI=true but no Chromium at ${chromiumPath}: browser tests cannot be skipped in CI`);
  console.warn(`\n\n  !!! No Chromium at ${chromiumPath}: END-TO-END BROWSER TESTS ARE SKIPPED.\n  !!! Install it (apt-get install chromium) or set CHROMIUM_PATH.\n\n`);
}

let built: Promise<string> | null = null;
/** Build the client once per test run (into its own folder, so a running `npm start` is untouched). */
export function buildClient(): Promise<string> {
  const outDir = join(root, 'test-artifacts/client-dist');
  built ??= build({ configFile: join(root, 'client/vite.config.ts'), logLevel: 'silent', build: { outDir, emptyOutDir: true } }).then(() => outDir);
  return built;
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

export const PROJECTOR = { width: 1920, height: 1080 };
export const LAPTOP = { width: 1366, height: 768 };

export async function screenshot(page: Page, name: string) {
  await mkdir(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}
