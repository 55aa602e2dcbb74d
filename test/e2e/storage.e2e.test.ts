// A data folder that refuses to be written, as a teacher meets it in the pages: starting a class on a
// folder the server may not write says why; a disk that fills up mid-game shows on the projector what
// is wrong, the student's move is refused in words, and both clear by themselves once space is back.
import { describe, expect, it } from 'vitest';
import { en } from '../../client/src/i18n/en.ts';
import { zh } from '../../client/src/i18n/zh.ts';
import { FaultyFiles } from '../support/faulty-files.ts';
import { LAPTOP, PROJECTOR, fill, haveChromium, screenshot, useStage } from '../support/browser.ts';

const catalogues = { en, zh };
const disk = new FaultyFiles();

describe.skipIf(!haveChromium)('a data folder that refuses writes, in Chromium', () => {
  const stage = useStage({ files: disk });

  for (const lang of ['en', 'zh'] as const) {
    it(`the teacher is told what is wrong, the student's move is refused, and all clears once the disk is freed (${lang})`, async () => {
      const T = catalogues[lang];
      const why = (key: 'storage.ENOSPC' | 'storage.denied', code: string) => fill(T[key], { code });

      // A folder the server may not write: no session, and the home page says why.
      disk.openError = 'EACCES';
      const home = await stage.open(LAPTOP, `/?lang=${lang}`);
      await home.getByRole('button', { name: T['home.host.submit'] }).click();
      await home.getByText(fill(T['home.storageError'], { why: why('storage.denied', 'EACCES') })).waitFor();
      await screenshot(home, `storage-denied-home-${lang}-laptop`);
      disk.openError = null;

      const host = await stage.open(PROJECTOR, `/?lang=${lang}`);
      await host.getByRole('button', { name: T['home.host.submit'] }).click();
      await host.getByTestId('join-code').waitFor();
      const code = (await host.getByTestId('join-code').textContent())!.trim();
      const a = await stage.open(LAPTOP, `/join/${code}?lang=${lang}`);
      await a.getByLabel(T['home.join.name']).fill(lang === 'en' ? 'Ada' : '小安');
      await a.getByRole('button', { name: T['home.join.submit'], exact: true }).click();
      await a.waitForURL(/\/play\//);
      await host.getByRole('button', { name: T['host.autoSeat'] }).click();
      await host.getByRole('button', { name: T['host.startAll'] }).click();
      await a.getByRole('button', { name: T['tg.propose.send'] }).waitFor();

      // The disk fills up: Ada's proposal is refused in words, and the projector says what is wrong.
      disk.fill(0);
      await a.getByRole('button', { name: T['tg.propose.send'] }).click();
      await a.getByText(T['rule.server/storage']).waitFor();
      const warning = fill(T['host.storageError'], { why: why('storage.ENOSPC', 'ENOSPC') });
      await host.getByText(warning).waitFor();
      await screenshot(host, `storage-full-host-${lang}-projector`);
      await screenshot(a, `storage-full-student-${lang}-laptop`);

      // Space comes back: within a few seconds the warning goes by itself, and the move goes through.
      disk.free();
      await host.getByText(warning).waitFor({ state: 'detached' });
      await a.getByRole('button', { name: T['tg.propose.send'] }).click();
      await a.getByText(fill(T['tg.msg.to'], { n: 1, seat: T['seat.B'] })).waitFor();
      await expect(host.getByText(warning).count()).resolves.toBe(0);
      for (const p of [home, host, a]) await p.context().close();
    });
  }
});
