// The replay page in Chromium: an example opened by anyone, stepped and scrubbed with the state at the
// cursor checked against shared's Replayer; a log file from disk; bad files get their message.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Replayer, gamesIn, parseLog, px } from '@valley/shared';
import { en } from '../../client/src/i18n/en.ts';
import { zh } from '../../client/src/i18n/zh.ts';
import { PROJECTOR, fill, haveChromium, root, screenshot, useStage } from '../support/browser.ts';

describe.skipIf(!haveChromium)('replay in Chromium', () => {
  const stage = useStage();
  const open = (path: string) => stage.open(PROJECTOR, path);

  for (const lang of ['en', 'zh'] as const) {
    it(`steps and scrubs an example game and shows the state at the cursor (${lang})`, async () => {
      const T = lang === 'en' ? en : zh;
      const text = await readFile(join(root, 'examples/paxos-duel.ndjson'), 'utf8');
      const parsed = parseLog(text);
      if (!parsed.ok) throw new Error('example unreadable');
      const replayer = new Replayer(gamesIn(parsed.header, parsed.events)[0]!);
      const n = replayer.length;

      const p = await open(`/replay?lang=${lang}`);
      await screenshot(p, `replay-pick-${lang}-projector`);
      await p.getByRole('button', { name: T['replay.example.paxos-duel'] }).click();
      await p.getByText(fill(T['replay.position'], { k: n, n, t: '' }).replace(/ · $/, ''), { exact: false }).waitFor();

      // Home, then three steps forward and one back: the cursor is after event 2.
      await p.keyboard.press('Home');
      await p.getByText(fill(T['replay.position'], { k: 0, n, t: '0:00' })).waitFor();
      for (let i = 0; i < 3; i++) await p.keyboard.press('ArrowRight');
      await p.getByRole('button', { name: T['replay.stepBack'] }).click();
      await p.getByText(fill(T['replay.position'], { k: 2, n, t: '0:00' })).waitFor();

      // Scrub to the middle: the acceptors' cards on the page are the Replayer's state there.
      const mid = Math.floor(n / 2);
      await p.getByLabel(T['replay.scrub']).fill(String(mid));
      const state = replayer.stateAt(mid) as px.State;
      const a1 = state.acceptors.a1!;
      const promised = a1.promised ? px.showBallot(a1.promised) : T['px.card.none'];
      await p
        .locator('.seat-states li')
        .filter({ hasText: fill(T['role.acceptor'], { seat: 'a1' }) })
        .getByText(`${T['px.card.promised']} ${promised}`, { exact: false })
        .waitFor();
      await screenshot(p, `replay-paxos-duel-${lang}-projector`);

      // Select a messenger: its details are shown.
      // With the keyboard: focus the first messenger's arrow and press Enter.
      await p.locator('.spacetime .msg').first().focus();
      await p.keyboard.press('Enter');
      await p.locator('.viewer-panels').getByText('#1 ').waitFor();
      await p.keyboard.press('End');
      await p.getByText(T['px.debrief.safe']).waitFor();
      await p.context().close();
    });
  }

  it('opens a downloaded log file from disk, and explains a file that is not a log', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'valley-files-'));
    const good = join(dir, 'game.ndjson');
    await writeFile(good, await readFile(join(root, 'examples/tg-defeat.ndjson'), 'utf8'));
    const bad = join(dir, 'notes.txt');
    await writeFile(bad, 'these are my notes\n');
    const torn = join(dir, 'torn.ndjson');
    const lines = (await readFile(join(root, 'examples/tg-victory.ndjson'), 'utf8')).split('\n');
    await writeFile(torn, [lines[0], lines[1], '{"seq": 2, "at"', lines[2], ''].join('\n'));

    const p = await open('/replay?lang=en');
    await p.getByLabel(en['replay.open']).setInputFiles(bad);
    await p
      .getByRole('alert')
      .getByText(fill(en['replay.error.line'], { line: 1, reason: 'not JSON' }))
      .waitFor();
    await p.getByLabel(en['replay.open']).setInputFiles(torn);
    await p
      .getByRole('alert')
      .getByText(fill(en['replay.error.line'], { line: 3, reason: 'not JSON' }))
      .waitFor();
    await screenshot(p, 'replay-bad-file-en-projector');
    // The page is still usable: a good file opens.
    await p.getByLabel(en['replay.open']).setInputFiles(good);
    await p.locator('.verdict-panel').getByText(fill(en['tg.outcome.defeat'], {})).waitFor();
    await screenshot(p, 'replay-tg-defeat-en-projector');
    expect(await p.getByRole('alert').count()).toBe(0);
    await p.context().close();
  });
});
