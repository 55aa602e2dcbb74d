// The replay issue's "done when": after a Two Generals game and a Paxos game, the teacher opens each
// game's replay from the host page's list of this session's games and from the downloaded log file,
// steps through it, and sees the same end state as the live game had on the server and the host page.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { px, scenarioOf, tg } from '@valley/shared';
import { EVENTS } from '@valley/shared/protocol';
import { en } from '../../client/src/i18n/en.ts';
import { PROJECTOR, fill, haveChromium, screenshot, useStage } from '../support/browser.ts';
import { playerClient, type Client } from '../support/server.ts';

const T = en;

describe.skipIf(!haveChromium)('replay of the session’s own games in Chromium', () => {
  const stage = useStage();
  const clients: Client[] = [];
  afterAll(() => {
    for (const c of clients) c.close();
  });

  // One lesson: the teacher's host page stays open for both games, as in a classroom.
  let host: Page;
  let sessionId = '';
  let code = '';

  /** The live game at a table, as the server holds it. */
  function liveGame(table: string) {
    const s = stage.valley!.registry.byId.get(sessionId)!;
    return s.state.tables[table]!.game!;
  }

  async function until(cond: () => boolean, what: string, ms = 15_000) {
    const end = Date.now() + ms;
    while (!cond()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async function openHost() {
    host = await stage.open(PROJECTOR, '/host?lang=en');
    await host.getByTestId('join-code').waitFor();
    code = (await host.getByTestId('join-code').textContent())!.trim();
    sessionId = new URL(host.url()).pathname.split('/').at(-1)!;
    expect(stage.valley!.registry.byId.has(sessionId)).toBe(true);
  }

  /** A short, quiet valley for new tables of the scenario chosen on the host page. */
  async function quickSettings() {
    await host.locator('input[name=capture]').fill('0');
    await host.locator('input[name=delayMin]').fill('0.3');
    await host.locator('input[name=delayMax]').fill('0.5');
    await host.getByRole('button', { name: T['host.settings.apply'] }).click();
    await host.getByText(T['host.settings.saved']).waitFor();
  }

  /** The cursor's "Event k of n": both numbers. */
  async function position(p: Page): Promise<{ k: number; n: number }> {
    const text = (await p.locator('.controls-bar .position').textContent())!;
    const m = /Event (\d+) of (\d+)/.exec(text);
    if (!m) throw new Error(`no position in ${JSON.stringify(text)}`);
    return { k: Number(m[1]), n: Number(m[2]) };
  }

  async function atEnd(p: Page) {
    const { n } = await position(p);
    await p.locator('.controls-bar .position').getByText(`Event ${n} of ${n}`, { exact: false }).waitFor();
    return n;
  }

  /** Every messenger on the replay's diagram: its number and fate, as the live game's diagram has them. */
  async function expectMessengers(p: Page, scenario: string, state: unknown) {
    const want = scenarioOf(scenario)
      .diagram(state)
      .messengers.map((m) => ({ n: m.n, status: m.status }));
    const arrows = p.locator('.spacetime .msg');
    await expect.poll(() => arrows.count()).toBe(want.length);
    const got = await arrows.evaluateAll((els) =>
      els.map((e) => ({
        n: Number(/^#(\d+) /.exec(e.getAttribute('aria-label') ?? '')?.[1]),
        status: [...e.classList].find((c) => c.startsWith('msg-'))!.slice(4),
        label: e.getAttribute('aria-label') ?? '',
      })),
    );
    expect(got.map(({ n, status }) => ({ n, status }))).toEqual(want);
    // At the end, a messenger still on its way is said to be so "when the game ended".
    const fate = (status: string) => T[(status === 'inFlight' ? 'diagram.fate.inFlightAtEnd' : `diagram.fate.${status}`) as keyof typeof T];
    for (const g of got) expect(g.label.endsWith(`— ${fate(g.status)}`), g.label).toBe(true);
  }

  /** The replay at its end shows the live Two Generals game's end state. */
  async function expectTGEnd(p: Page, live: tg.State) {
    const time = tg.formatTime(live.decisions.A!.type === 'attack' ? live.decisions.A!.time : 0);
    const panels = p.locator('.verdict-panel');
    await panels.getByText(fill(T[`tg.outcome.${live.outcome!}`], { time })).waitFor();
    await expectMessengers(p, 'two-generals', live);
    // Each general's line: what reached them, and their decision.
    for (const seat of ['A', 'B'] as const) {
      const got = live.messengers.filter((m) => m.to === seat && m.status === 'delivered').map((m) => `#${m.n}`);
      const d = live.decisions[seat]!;
      const line = `${T[`seat.${seat}`]}: ${T['replay.received']}: ${got.join(', ') || T['replay.nothing']} · ${d.type === 'attack' ? fill(T['tg.decide.attack'], { time: tg.formatTime(d.time) }) : T['tg.decide.hold']}`;
      await expect
        .poll(() =>
          p
            .locator('.seat-states li')
            .filter({ hasText: T[`seat.${seat}`] })
            .textContent(),
        )
        .toBe(line);
    }
  }

  /** The replay at its end shows the live Paxos game's end state. */
  async function expectPaxosEnd(p: Page, live: px.State) {
    const first = live.chosen[0]!;
    const panels = p.locator('.verdict-panel');
    await panels.getByText(fill(T['px.debrief.chosen'], { value: first.value, ballot: px.showBallot(first.ballot) })).waitFor();
    await panels.getByText(T['px.debrief.safe']).waitFor();
    await expectMessengers(p, 'paxos', live);
    for (const [seat, a] of Object.entries(live.acceptors)) {
      const accepted = a.acceptedValue !== null && a.acceptedBallot ? `${a.acceptedValue} @ ${px.showBallot(a.acceptedBallot)}` : T['px.card.none'];
      const line = `${fill(T['role.acceptor'], { seat })}: ${T['px.card.promised']} ${a.promised ? px.showBallot(a.promised) : T['px.card.none']} · ${T['px.card.accepted']} ${accepted}`;
      await expect
        .poll(() =>
          p
            .locator('.seat-states li')
            .filter({ hasText: fill(T['role.acceptor'], { seat }) })
            .textContent(),
        )
        .toBe(line);
    }
    for (const [seat, d] of Object.entries(live.declared)) {
      // The teacher reads what the learner did, not the student's own "You declared …".
      const line = `${fill(T['role.learner'], { seat })}: ${fill(T['replay.declared'], { value: d.value })}`;
      await expect
        .poll(() =>
          p
            .locator('.seat-states li')
            .filter({ hasText: fill(T['role.learner'], { seat }) })
            .textContent(),
        )
        .toBe(line);
    }
  }

  /** One step back leaves the end (the last event undone), one step forward is back at the end. */
  async function stepBackAndForth(p: Page, n: number, before: () => Promise<void>) {
    await p.getByRole('button', { name: T['replay.stepBack'] }).click();
    await p
      .locator('.controls-bar .position')
      .getByText(`Event ${n - 1} of ${n}`, { exact: false })
      .waitFor();
    await before();
    await p.keyboard.press('ArrowRight');
    await p.locator('.controls-bar .position').getByText(`Event ${n} of ${n}`, { exact: false }).waitFor();
  }

  /** From the host page: the replay list of this session (a new tab), and the game at this table. */
  async function replayFromList(table: string, game: number, scenario: string): Promise<Page> {
    const [tab] = await Promise.all([host.context().waitForEvent('page'), host.getByRole('link', { name: T['host.replay'] }).click()]);
    tab.setDefaultTimeout(45_000);
    await tab.waitForLoadState('domcontentloaded');
    expect(new URL(tab.url()).search).toBe(`?session=${sessionId}`);
    await pickGame(tab, table, game, scenario);
    return tab;
  }

  /** With one game in the log it opens at once; with more, the teacher picks it from the list. */
  async function pickGame(p: Page, table: string, game: number, scenario: string) {
    const title = fill(T['replay.game'], { table, game, scenario: T[`scenario.${scenario}` as keyof typeof T] });
    await p.locator('.game-list button, .viewer-head h1').first().waitFor();
    if ((await p.locator('.viewer-head h1').count()) === 0) await p.locator('.game-list button').filter({ hasText: title }).click();
    await p.locator('.viewer-head h1').getByText(title).waitFor();
  }

  /** From the host page: "Download log", then a fresh replay page (another browser) given that file. */
  async function replayFromFile(table: string, game: number, scenario: string): Promise<Page> {
    const [download] = await Promise.all([host.waitForEvent('download'), host.getByRole('button', { name: T['host.download'] }).click()]);
    expect(download.suggestedFilename()).toBe(`valley-${code}.ndjson`);
    const file = join(await mkdtemp(join(tmpdir(), 'valley-download-')), download.suggestedFilename());
    await download.saveAs(file);
    const p = await stage.open(PROJECTOR, '/replay?lang=en');
    await p.getByLabel(T['replay.open']).setInputFiles(file);
    await pickGame(p, table, game, scenario);
    return p;
  }

  it('a Two Generals game: its replay from the list and from the downloaded file ends as the live game did', async () => {
    await openHost();
    await quickSettings();
    const a = await playerClient(stage.base, code, 'Ada');
    const b = await playerClient(stage.base, code, 'Bo');
    clients.push(a, b);
    await host.locator('.roster-list .name').getByText('Bo', { exact: true }).waitFor();
    await host.getByRole('button', { name: T['host.autoSeat'] }).click();
    await host.getByRole('article').first().waitFor();
    await host.getByRole('button', { name: T['host.startAll'] }).click();

    const tgView = (c: Client) => c.view?.game?.view as tg.TGView | undefined;
    const act = async (c: Client, action: tg.Action) => expect(await c.call(EVENTS.playerAct, { action })).toEqual({ ok: true });
    await a.until(() => tgView(a)?.status === 'running');
    // A proposes 07:00; B acknowledges; A sends a last word and both attack while it is still crossing.
    await act(a, { type: 'sendMessenger', payload: { type: 'proposal', time: 7 } });
    await b.until(() => (tgView(b)?.received.length ?? 0) > 0, 10_000);
    await act(b, { type: 'sendMessenger', payload: { type: 'ack', of: tgView(b)!.received[0]!.n } });
    await a.until(() => (tgView(a)?.received.length ?? 0) > 0, 10_000);
    await act(a, { type: 'sendMessenger', payload: { type: 'note', text: 'see you at seven' } });
    await act(b, { type: 'commit', decision: { type: 'attack', time: 7 } });
    await act(a, { type: 'commit', decision: { type: 'attack', time: 7 } });

    // The live end state: the server's game, and the host page's card showing it.
    await until(() => (liveGame('T1').state as tg.State).status === 'ended', 'the game to end');
    const live = structuredClone(liveGame('T1').state as tg.State);
    expect(live.outcome).toBe('victory');
    expect(live.messengers.map((m) => m.status)).toEqual(['delivered', 'delivered', 'inFlight']);
    const card = host.locator('article[data-table=T1]');
    await card
      .locator('.outcome-line')
      .getByText(fill(T['tg.outcome.victory'], { time: '07:00' }))
      .waitFor();
    await card.getByText(fill(T['host.table.stats'], { sent: 3, delivered: 2, captured: 0, inFlight: 1 })).waitFor();

    // From the list of this session's replays.
    const listed = await replayFromList('T1', liveGame('T1').index, 'two-generals');
    await listed.locator('.viewer-head').getByText(`${T['seat.A']}: Ada · ${T['seat.B']}: Bo`).waitFor();
    await listed.keyboard.press('End');
    const n = await atEnd(listed);
    await expectTGEnd(listed, live);
    await stepBackAndForth(listed, n, () => listed.locator('.viewer-panels').getByText(T['replay.unfinished']).waitFor());
    await expectTGEnd(listed, live);
    await screenshot(listed, 'replay-own-two-generals-en-projector');
    await listed.close();

    // From the downloaded file, in a browser without the host key.
    const fromFile = await replayFromFile('T1', liveGame('T1').index, 'two-generals');
    await fromFile.getByRole('button', { name: T['replay.end'] }).click();
    expect(await atEnd(fromFile)).toBe(n);
    await expectTGEnd(fromFile, live);
    await fromFile.context().close();
  });

  it('a Paxos game of bots on a second table: its replay from the list and from the file ends as the live game did', async () => {
    await host.getByLabel(T['host.scenario']).selectOption('paxos');
    await host.locator('input[name=proposers]').fill('1');
    await host.locator('input[name=learners]').fill('1');
    await quickSettings();
    await host.getByRole('button', { name: T['host.addTable'] }).click();
    const card = host.locator('article[data-table=T2]');
    const seats = card.locator('.seats select');
    await seats.first().waitFor();
    const count = await seats.count();
    for (let i = 0; i < count; i++) {
      await seats.nth(i).selectOption('bot');
      await expect.poll(() => seats.nth(i).inputValue()).toBe('bot');
    }
    await card.getByRole('button', { name: T['host.table.start'] }).click();

    await until(() => (liveGame('T2').state as px.State | undefined)?.status === 'ended', 'the bots to choose a value');
    const live = structuredClone(liveGame('T2').state as px.State);
    expect(live.chosen.length).toBeGreaterThan(0);
    expect(Object.keys(live.declared)).toEqual(['l1']);
    const chosen = fill(T['px.debrief.chosen'], { value: live.chosen[0]!.value, ballot: px.showBallot(live.chosen[0]!.ballot) });
    await card.getByText(chosen).first().waitFor();

    // The list now holds both games of the lesson: the teacher picks the Paxos one.
    const listed = await replayFromList('T2', liveGame('T2').index, 'paxos');
    await listed.keyboard.press('End');
    const n = await atEnd(listed);
    await expectPaxosEnd(listed, live);
    await stepBackAndForth(listed, n, async () => {
      // The learner's declaration is the game's last event but one (the end): still there, the game not ended.
      expect(await position(listed)).toEqual({ k: n - 1, n });
    });
    await expectPaxosEnd(listed, live);
    await screenshot(listed, 'replay-own-paxos-en-projector');
    // Back to the list: the Two Generals game is there too, with its outcome.
    await listed.getByRole('button', { name: T['replay.back'] }).click();
    await listed
      .locator('.game-list button')
      .filter({ hasText: fill(T['replay.game'], { table: 'T1', game: 1, scenario: T['scenario.two-generals'] }) })
      .getByText(T['host.outcome.victory'])
      .waitFor();
    await screenshot(listed, 'replay-own-list-en-projector');
    await listed.close();

    const fromFile = await replayFromFile('T2', liveGame('T2').index, 'paxos');
    await fromFile.keyboard.press('End');
    expect(await atEnd(fromFile)).toBe(n);
    await expectPaxosEnd(fromFile, live);
    await fromFile.context().close();
    await host.context().close();
  });
});
