// The message catalogue: English and Chinese complete, with the same placeholders, and an entry for
// every rule and error the server can send and every label shared/ writes into a diagram.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERRORS, HOST_REPORTS, SCENARIO_IDS, SESSION_RULES, gamesIn, parseLog, Replayer, road, scenarioOf, scenarioWords, scenarios } from '@valley/shared';
import { en } from '../../client/src/i18n/en.ts';
import { caseOf } from '../../client/src/i18n/cases.ts';
import { render } from '../../client/src/i18n/render.ts';
import { zh } from '../../client/src/i18n/zh.ts';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const root = join(import.meta.dirname, '../..');

describe('the message catalogue', () => {
  it('has the same keys in English and Chinese, none empty', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    for (const [k, v] of [...Object.entries(en), ...Object.entries(zh)]) expect(v.trim(), k).not.toBe('');
  });

  it('uses the same placeholders in both languages', () => {
    for (const k of Object.keys(en) as (keyof typeof en)[]) expect(placeholders(zh[k]), k).toEqual(placeholders(en[k]));
  });

  it('explains every rule and error the server can send', () => {
    const ids = [...Object.values(SESSION_RULES), ...Object.values(ERRORS)];
    for (const id of ids) expect(en, id).toHaveProperty([`rule.${id}`]);
  });

  it('says "Nobody to seat" and "seated" as each case reads, with no count of none, in both languages', () => {
    const say = (cat: Record<string, string>, key: string, e: Record<string, string | number>) => render(cat, caseOf(key, e), e);
    const scenario = '@scenario.paxos';
    const nobody = 'rule.session/nobody-to-seat';
    const seated = 'report.session/seated';
    const cases: [string, Record<string, string | number>, string][] = [
      [nobody, { playing: 0, there: 4, scenario }, `${nobody}.allSeated`],
      [nobody, { playing: 3, there: 0, scenario }, `${nobody}.allPlaying`],
      [nobody, { playing: 2, there: 2, scenario }, nobody],
      [seated, { placed: 4, moved: 4, tables: 1, playing: 0, scenario }, `${seated}.nonePlaying`],
      [seated, { placed: 4, moved: 0, tables: 2, playing: 2, scenario }, seated],
    ];
    for (const [key, e, chosen] of cases) {
      expect(caseOf(key, e), JSON.stringify(e)).toBe(chosen);
      for (const cat of [en, zh] as Record<string, string>[]) {
        expect(cat, chosen).toHaveProperty([chosen]);
        const text = say(cat, key, e);
        expect(text).not.toMatch(/\{\w+\}|@[a-z]+\.\w/);
        // A count of none is not said ("0 are in a game…"); a count that is there is.
        for (const [k, v] of Object.entries(e)) if (k === 'playing' || k === 'there') expect(text.includes(String(v)), `${chosen} ${k}`).toBe(v !== 0);
      }
    }
    expect(say(en, nobody, { playing: 0, there: 4, scenario })).toBe(
      'Nobody to seat: every student already sits at a Paxos table (4 in all). Start the tables to play again, or choose another scenario under “New tables play”.',
    );
    expect(say(zh, nobody, { playing: 3, there: 0, scenario })).toBe(
      '没有需要安排的学生：所有学生（共 3 人）都在进行中的对局里。等他们的对局结束后再安排座位。',
    );
  });

  it("says in words what each host command's report tells the console", () => {
    for (const id of Object.values(HOST_REPORTS)) expect(en, id).toHaveProperty([`report.${id}`]);
  });

  it("each scenario's own words explain each of its rules, in both languages, and name the scenario", () => {
    for (const id of SCENARIO_IDS) {
      const w = scenarioWords[id];
      for (const rule of Object.values(scenarios[id].rules)) {
        // The rules every game shares (game/not-running, …) are the pages' own words; the rest the scenario's.
        const [inEn, inZh] = rule.startsWith('game/') ? [en, zh] : [w.en, w.zh];
        expect(inEn, `${id}: ${rule}`).toHaveProperty([`rule.${rule}`]);
        expect(inZh, `${id}: ${rule}`).toHaveProperty([`rule.${rule}`]);
      }
      expect(w.en).toHaveProperty([`scenario.${id}`]);
      // Every scenario has a briefing the host console shows for the teacher to read out.
      expect(w.en, `${id}.brief`).toHaveProperty([`${id}.brief`]);
      // A level of the road has its story and the debrief's two questions.
      if ('protocol' in scenarios[id]) {
        for (const k of ['brief', 'quiz.1', 'quiz.2', 'fix']) expect(w.en, `${id}.${k}`).toHaveProperty([`${id}.${k}`]);
        // Each on/off setting of its own has a label on the host's form.
        const own = Object.entries(scenarios[id].defaultConfig as unknown as Record<string, unknown>).filter(
          ([k, v]) => typeof v === 'boolean' && !(k in road.roadDefaults),
        );
        for (const [k] of own) expect(w.en, `${id}.settings.${k}`).toHaveProperty([`${id}.settings.${k}`]);
      }
      expect(Object.keys(w.zh).sort()).toEqual(Object.keys(w.en).sort());
    }
  });

  it('has every label the diagrams of the example games use, with all their parameters', () => {
    for (const name of readdirSync(join(root, 'examples')).filter((n) => n.endsWith('.ndjson'))) {
      const parsed = parseLog(readFileSync(join(root, `examples/${name}`), 'utf8'));
      if (!parsed.ok) throw new Error(name);
      for (const game of gamesIn(parsed.header, parsed.events)) {
        const r = new Replayer(game);
        const d = scenarioOf(game.entry.scenario).diagram(r.stateAt(r.length));
        const labels = [...d.lanes.map((l) => l.label), ...d.messengers.map((m) => m.label), ...d.marks.map((m) => m.label)];
        for (const l of labels) {
          for (const cat of [en, zh]) {
            expect(cat, l.key).toHaveProperty([l.key]);
            const text = render(cat, l.key, l.params);
            expect(text, l.key).not.toMatch(/\{\w+\}|@[a-z]+\.\w/);
          }
        }
      }
    }
  });
});
