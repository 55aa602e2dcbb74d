// Accessibility checked by a tool nobody here wrote: axe-core runs on every page a lesson goes through
// (home, join, lobby, each kind of seat — the Two Generals valley too —, the host console, the focus
// view, the replay with a game open) and finds no serious or critical violation. A seat can be played
// with the keyboard alone. And the app's own Chinese font is served and used, so a machine without
// Chinese fonts still shows Chinese.
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join as pathJoin } from 'node:path';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { en } from '../../client/src/i18n/en.ts';
import { zh } from '../../client/src/i18n/zh.ts';
import { LAPTOP, PROJECTOR, artifacts, fill, haveChromium, screenshot, useStage } from '../support/browser.ts';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
type Violation = { id: string; impact: string; help: string; nodes: string[] };

/** axe-core's serious and critical violations on the page as it is now. */
async function audit(p: Page): Promise<Violation[]> {
  if (!(await p.evaluate('typeof window.axe !== "undefined"'))) await p.addScriptTag({ content: axeSource });
  // A string: the tests are compiled without the DOM's types.
  return p.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) })))`);
}

/** Presses Tab until the focused control's name contains `name` (at most 80 presses), as a keyboard user would. */
async function tabTo(p: Page, name: string) {
  for (let i = 0; i < 80; i++) {
    await p.keyboard.press('Tab');
    const focused = (await p.evaluate(
      `(() => { const e = document.activeElement; return e ? (e.getAttribute('aria-label') || e.textContent || '') : ''; })()`,
    )) as string;
    if (focused.includes(name)) return;
  }
  throw new Error(`no control named "${name}" reached with Tab`);
}

describe.skipIf(!haveChromium)('accessibility and keyboard, in Chromium', () => {
  const stage = useStage();
  const open = stage.open;

  async function hostWith(lang: 'en' | 'zh', scenario: string, extra: (host: Page) => Promise<void> = async () => {}) {
    const T = lang === 'en' ? en : zh;
    const host = await open(PROJECTOR, `/host?lang=${lang}`);
    await host.getByTestId('join-code').waitFor();
    const code = (await host.getByTestId('join-code').textContent())!.trim();
    await host.getByLabel(T['host.scenario']).selectOption(scenario);
    await host.locator('input[name=capture]').fill('0');
    await host.locator('input[name=delayMin]').fill('0.3');
    await host.locator('input[name=delayMax]').fill('0.5');
    await extra(host);
    await host.getByRole('button', { name: T['host.settings.apply'] }).click();
    await host.getByText(T['host.settings.saved']).waitFor();
    return { host, code };
  }

  async function join(lang: 'en' | 'zh', code: string, name: string) {
    const T = lang === 'en' ? en : zh;
    const p = await open(LAPTOP, `/join/${code}?lang=${lang}`);
    await p.getByLabel(T['home.join.name']).fill(name);
    await p.getByRole('button', { name: T['home.join.submit'], exact: true }).click();
    await p.waitForURL(/\/play\//);
    return p;
  }

  for (const lang of ['en', 'zh'] as const) {
    it(`axe finds no serious or critical violation on any page (${lang})`, async () => {
      const T = lang === 'en' ? en : zh;
      const found: Record<string, Violation[]> = {};
      const check = async (name: string, p: Page) => {
        found[name] = await audit(p);
      };

      const home = await open(PROJECTOR, `/?lang=${lang}`);
      await home.getByRole('button', { name: T['home.host.submit'] }).waitFor();
      await check('home', home);
      await screenshot(home, `a11y-home-${lang}-projector`);

      // Two Generals: join, lobby, both generals' seats, the host console, a general's debrief.
      const tg = await hostWith(lang, 'two-generals');
      const joinPage = await open(LAPTOP, `/join/${tg.code}?lang=${lang}`);
      await joinPage.getByLabel(T['home.join.name']).waitFor();
      await check('join', joinPage);
      const A = await join(lang, tg.code, 'Ada');
      await A.getByText(T['lobby.waitSeat']).waitFor();
      await check('lobby', A);
      const B = await join(lang, tg.code, 'Bo');
      await tg.host.getByRole('button', { name: T['host.autoSeat'] }).click();
      await tg.host.getByRole('button', { name: T['host.startAll'] }).click();
      await A.getByRole('button', { name: T['tg.propose.send'] }).click();
      await B.getByRole('button', { name: fill(T['tg.ack'], { n: 1 }) }).waitFor();
      await check('two-generals general A', A);
      await check('two-generals general B', B);
      await check('host console (two generals)', tg.host);
      await A.getByRole('button', { name: fill(T['tg.decide.attack'], { time: '06:00' }) }).click();
      await B.getByRole('button', { name: fill(T['tg.decide.attack'], { time: '06:00' }) }).click();
      await A.getByText(fill(T['tg.outcome.victory'], { time: '06:00' })).waitFor();
      await check('two-generals debrief', A);
      await check('host console with results', tg.host);

      // Two Generals with a student at the valley: the valley's seat holding a messenger, then its debrief.
      const tv = await hostWith(lang, 'two-generals', async (h) => {
        await h.locator('input[name=delayMin]').fill('1');
        await h.locator('input[name=delayMax]').fill('1');
        await h.locator('input[name=valley]').check();
      });
      const generals = [await join(lang, tv.code, 'Gil'), await join(lang, tv.code, 'Hal')];
      const valley = await join(lang, tv.code, 'Vic');
      await tv.host.getByRole('button', { name: T['host.autoSeat'] }).click();
      await tv.host.getByRole('button', { name: T['host.startAll'] }).click();
      await valley.getByText(T['tg.story.V']).waitFor();
      const general = (await generals[0]!.getByText(T['tg.story.A']).isVisible()) ? generals[0]! : generals[1]!;
      await general.getByRole('button', { name: T['tg.propose.send'] }).click();
      await valley.getByRole('button', { name: `${T['valley.hold']} #1` }).click();
      await valley.getByRole('button', { name: `${T['valley.release']} #1` }).waitFor();
      await check('two-generals valley', valley);
      await screenshot(valley, `a11y-tg-valley-${lang}-laptop`);
      await tv.host.getByRole('button', { name: T['host.table.end'] }).click();
      await valley.getByText(T['game.heldAtEnd.one']).waitFor();
      await check('two-generals valley debrief', valley);

      // The road, level 1: a student client and a student valley who stops each messenger.
      const road = await hostWith(lang, 'naive', (h) => h.locator('input[name=stopEach]').check());
      const C = await join(lang, road.code, 'Cleo');
      const V = await join(lang, road.code, 'Val');
      await road.host.getByRole('button', { name: T['host.autoSeat'] }).click();
      await road.host.getByRole('button', { name: T['host.startAll'] }).click();
      await C.getByRole('button', { name: T['road.predict.no'] }).click();
      await C.getByRole('button', { name: fill(T['naive.send'], { op: 'x+1', to: 'S1' }) }).click();
      await V.getByRole('button', { name: T['road.valley.capture'] }).waitFor();
      await check('road client', C);
      await check('road valley', V);
      await check('host console (road)', road.host);
      await road.host.getByRole('button', { name: T['host.focus'] }).first().click();
      await road.host.getByRole('button', { name: T['host.focus.back'] }).waitFor();
      await check('focus view (road)', road.host);

      // Paxos: a proposer, three acceptors and a learner.
      const px = await hostWith(lang, 'paxos', async (h) => {
        await h.locator('input[name=proposers]').fill('1');
        await h.locator('input[name=learners]').fill('1');
      });
      const seats: Page[] = [];
      for (const name of ['Pia', 'Ari', 'Bea', 'Cal', 'Lu']) seats.push(await join(lang, px.code, name));
      await px.host.getByRole('button', { name: T['host.autoSeat'] }).click();
      await px.host.getByRole('button', { name: T['host.startAll'] }).click();
      const [P, a1, , , L] = seats;
      await P!.getByRole('button', { name: fill(T['px.prepare.send'], { ballot: '1.A' }) }).click();
      await a1!.getByRole('button', { name: `${T['px.act.promise']} #1` }).waitFor();
      await check('paxos proposer', P!);
      await check('paxos acceptor', a1!);
      await check('paxos learner', L!);
      await check('host console (paxos)', px.host);
      // One table enlarged on the projector, mid-game.
      await px.host.getByRole('button', { name: T['host.focus'] }).first().click();
      await px.host.getByRole('button', { name: T['host.focus.back'] }).waitFor();
      await check('focus view (paxos)', px.host);

      // The replay, with an example game open.
      const replay = await open(PROJECTOR, `/replay?lang=${lang}`);
      await check('replay list', replay);
      await replay.getByRole('button', { name: T['replay.example.paxos-duel'] }).click();
      await replay.getByRole('button', { name: T['replay.stepBack'] }).waitFor();
      await check('replay with a game open', replay);
      await screenshot(replay, `a11y-replay-${lang}-projector`);

      await writeFile(pathJoin(artifacts, `axe-${lang}.json`), JSON.stringify(found, null, 2));
      expect(found).toEqual(Object.fromEntries(Object.keys(found).map((k) => [k, []])));
    });
  }

  it("a general's turn and a road client's action, played with the keyboard alone", async () => {
    const T = en;
    const tg = await hostWith('en', 'two-generals');
    const A = await join('en', tg.code, 'Kay');
    const B = await join('en', tg.code, 'Lee');
    await tg.host.getByRole('button', { name: T['host.autoSeat'] }).click();
    await tg.host.getByRole('button', { name: T['host.startAll'] }).click();
    await A.getByRole('button', { name: T['tg.propose.send'] }).waitFor();
    // General A: Tab to "Send proposal" (the hour proposed is the first one, 06:00), Enter.
    await tabTo(A, T['tg.propose.send']);
    await A.keyboard.press('Enter');
    await A.getByText(fill(T['tg.msg.to'], { n: 1, seat: T['seat.B'] })).waitFor();
    // General B: Tab to the acknowledgement, Space.
    await B.getByText(fill(T['tg.msg.proposal'], { time: '06:00' })).waitFor();
    await tabTo(B, fill(T['tg.ack'], { n: 1 }));
    await B.keyboard.press(' ');
    await A.getByText(fill(T['tg.msg.ack'], { n: 1 })).waitFor();
    // A commits to attack, by keyboard.
    await tabTo(A, fill(T['tg.decide.attack'], { time: '06:00' }));
    await A.keyboard.press('Enter');
    await A.getByText(fill(T['tg.decided.attack'], { time: '06:00' })).waitFor();

    const road = await hostWith('en', 'naive', (h) => h.locator('input[name=stopEach]').check());
    const C = await join('en', road.code, 'Max');
    const V = await join('en', road.code, 'Ned');
    await road.host.getByRole('button', { name: T['host.autoSeat'] }).click();
    await road.host.getByRole('button', { name: T['host.startAll'] }).click();
    await tabTo(C, T['road.predict.no']);
    await C.keyboard.press('Enter');
    await tabTo(C, fill(T['naive.send'], { op: 'x+1', to: 'S1' }));
    await C.keyboard.press('Enter');
    // The command really left: the valley student holds it and may capture it, by keyboard too.
    await V.getByRole('button', { name: T['road.valley.capture'] }).waitFor();
    await tabTo(V, T['road.valley.capture']);
    await V.keyboard.press('Enter');
    await V.getByRole('button', { name: T['road.valley.capture'] }).waitFor({ state: 'detached' });
  });

  it('serves its own Chinese font and a Chinese page is drawn with it', async () => {
    const fonts: { url: string; status: number }[] = [];
    const p = await open(LAPTOP, '/');
    p.on('response', (r) => {
      if (r.url().endsWith('.woff2')) fonts.push({ url: r.url(), status: r.status() });
    });
    await p.goto(`${stage.base}/?lang=zh`);
    await p.getByRole('button', { name: zh['home.host.submit'] }).waitFor();
    await p.evaluate('document.fonts.ready');
    await expect.poll(() => fonts.length).toBeGreaterThan(0);
    expect(fonts.every((f) => f.status === 200 && f.url.startsWith(stage.base))).toBe(true);
    expect(await p.evaluate(`document.fonts.check('16px "Noto Sans SC Variable"', '提案者')`)).toBe(true);
    // What Chromium really drew the heading with: the bundled web font, not a font of this machine.
    const cdp = await p.context().newCDPSession(p);
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument');
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: '.hero h1' });
    const { fonts: used } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    expect(used.length).toBeGreaterThan(0);
    expect(used.every((f) => f.isCustomFont && /Noto Sans SC/.test(f.familyName))).toBe(true);
    await screenshot(p, 'font-home-zh-laptop');
  });
});
