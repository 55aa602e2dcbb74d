// Back to your seat from the join address, and a code typed as the projector shows it: a student who
// closed the tab opens /join/CODE (or scans the QR code) again and is one tap from their seat; a code
// typed letter-spaced, with dashes or in lower case, joins; the projected address wraps only after a '/'.
import { describe, expect, it } from 'vitest';
import { en } from '../../client/src/i18n/en.ts';
import { zh } from '../../client/src/i18n/zh.ts';
import { LAPTOP, PROJECTOR, fill, haveChromium, screenshot, useStage } from '../support/browser.ts';

const catalogues = { en, zh };

describe.skipIf(!haveChromium)('the join address opened again, and a code typed as shown, in Chromium', () => {
  const stage = useStage();

  for (const lang of ['en', 'zh'] as const) {
    it(`a student who closed the page continues at their seat from /join/CODE; a letter-spaced code joins (${lang})`, async () => {
      const T = catalogues[lang];
      const host = await stage.open(PROJECTOR, `/?lang=${lang}`);
      await host.getByRole('button', { name: T['home.host.submit'] }).click();
      await host.getByTestId('join-code').waitFor();
      const code = (await host.getByTestId('join-code').textContent())!.trim();

      // Tests listen on loopback only: the console says so instead of projecting an address (or a QR
      // code) no laptop could reach.
      await host.getByText(T['host.loopbackOnly']).waitFor();
      await expect(host.locator('.join-url').count()).resolves.toBe(0);
      await expect(host.locator('.qr').count()).resolves.toBe(0);
      await screenshot(host, `join-again-host-${lang}-projector`);

      // Eve joins from the join address.
      const eveName = lang === 'en' ? 'Eve' : '小伊';
      const eve = await stage.open(LAPTOP, `/join/${code}?lang=${lang}`);
      await eve.getByLabel(T['home.join.name']).fill(eveName);
      await eve.getByRole('button', { name: T['home.join.submit'], exact: true }).click();
      await eve.waitForURL(/\/play\//);

      // Bo types the code as the projector shows it: letter-spaced, in lower case, with a dash.
      const boName = lang === 'en' ? 'Bo' : '小博';
      const bo = await stage.open(LAPTOP, `/?lang=${lang}`);
      const typed = `${code.slice(0, 2).toLowerCase().split('').join(' ')} - ${code.slice(2).split('').join('   ')}`;
      await bo.getByLabel(T['home.join.code']).fill(typed);
      await expect(bo.getByLabel(T['home.join.code']).inputValue()).resolves.toBe(typed.toUpperCase());
      await bo.getByLabel(T['home.join.name']).fill(boName);
      await screenshot(bo, `join-again-spaced-code-${lang}-laptop`);
      await bo.getByRole('button', { name: T['home.join.submit'], exact: true }).click();
      await bo.waitForURL(new RegExp(`/play/${code}`));
      await bo.getByText(fill(T['lobby.title'], { name: boName })).waitFor();

      await host.getByRole('button', { name: T['host.autoSeat'] }).click();
      await host.getByRole('button', { name: T['host.startAll'] }).click();
      await eve.getByRole('button', { name: T['tg.propose.send'] }).waitFor();

      // Eve closes the page; the same browser opens the join address again.
      const context = eve.context();
      await eve.close();
      const again = await context.newPage();
      again.setDefaultTimeout(45_000);
      await again.goto(`${stage.base}/join/${code}?lang=${lang}`);
      const cont = again.getByRole('button', { name: fill(T['home.join.continue'], { name: eveName }) });
      await cont.waitFor();
      await again.getByText(fill(T['home.join.back'], { code })).waitFor();
      // No join form in the way: its name would be refused as taken.
      await expect(again.getByLabel(T['home.join.name']).count()).resolves.toBe(0);
      await screenshot(again, `join-again-continue-${lang}-laptop`);

      // "Join as someone else" brings the form back; opening the address again offers the seat again.
      await again.getByRole('button', { name: T['home.join.someoneElse'] }).click();
      await again.getByLabel(T['home.join.name']).waitFor();
      await expect(again.getByLabel(T['home.join.code']).inputValue()).resolves.toBe(code);
      await again.goto(`${stage.base}/join/${code}?lang=${lang}`);

      // One tap: back at the seat, mid-game.
      await cont.click();
      await again.waitForURL(new RegExp(`/play/${code}`));
      await again.getByRole('button', { name: T['tg.propose.send'] }).waitFor();
      await again.locator('.who', { hasText: eveName }).waitFor();
      await screenshot(again, `join-again-back-at-seat-${lang}-laptop`);

      for (const p of [host, again, bo]) await p.context().close();
    });
  }
});
