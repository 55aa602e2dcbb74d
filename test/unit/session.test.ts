import { describe, expect, it } from 'vitest';
import { SessionDriver, refusal, testHeader } from '../support/session.ts';
import {
  CODE_ALPHABET,
  CODE_LENGTH,
  SESSION_RULES,
  checkName,
  deriveSeed,
  hostView,
  initialSession,
  isCode,
  nameKey,
  normaliseCode,
  playerView,
  reduce,
  seatOf,
  tg,
} from '@valley/shared';

const R = SESSION_RULES;

const header = { ...testHeader('session-1', 'ABCDE', 42), hostTokenHash: 'h'.repeat(64) };

/** A session driven through the rules: every allowed decision is applied, as the server would. */
class Session extends SessionDriver {
  constructor() {
    super(header);
  }
}

describe('names', () => {
  it('a name is trimmed, its inner runs of white space become one space', () => {
    const s = new Session();
    expect(s.decideJoin('  Ada \t  Lovelace  ')).toEqual({
      ok: true,
      events: [{ type: 'playerJoined', playerId: 'P1', name: 'Ada Lovelace', tokenHash: 'hash-  Ada \t  Lovelace  ' }],
    });
  });

  it('refuses a name that is empty once trimmed', () => {
    const s = new Session();
    expect(s.decideJoin('')).toEqual(refusal(R.nameEmpty, { max: 24 }));
    expect(s.decideJoin(' \t\n ')).toEqual(refusal(R.nameEmpty, { max: 24 }));
  });

  it('allows 24 characters, counted as characters (not UTF-16 units), and refuses 25', () => {
    const s = new Session();
    expect(s.decideJoin('x'.repeat(24)).ok).toBe(true);
    // 24 emoji are 48 UTF-16 units but 24 characters.
    expect(s.decideJoin('🙂'.repeat(24)).ok).toBe(true);
    expect(s.decideJoin('x'.repeat(25))).toEqual(refusal(R.nameTooLong, { max: 24 }));
    expect(s.decideJoin('🙂'.repeat(25))).toEqual(refusal(R.nameTooLong, { max: 24 }));
    // Padding does not count.
    expect(s.decideJoin(`   ${'x'.repeat(24)}   `).ok).toBe(true);
  });

  it('allows names in any script, with accents and emoji', () => {
    const s = new Session();
    for (const name of ['Zoë', '李雷', 'Ναυσικά', 'José María', 'Bo 🚀', 'O\u2019Brien']) {
      expect(s.decideJoin(name), name).toMatchObject({ ok: true, events: [{ name }] });
    }
  });

  it.each([
    ['a zero-width space', 'Ada\u200BBo'],
    ['a zero-width joiner alone', '\u200D'],
    ['a right-to-left override (bidi)', 'Ada\u202Egnp.exe'],
    ['a bidi isolate', '\u2066Ada\u2069'],
    ['a left-to-right mark', 'Ada\u200E'],
    ['a bell (control)', 'Ada\u0007'],
    ['a NUL (control)', 'A\u0000da'],
    ['a DEL (control)', 'Ada\u007F'],
    ['a soft hyphen', 'A\u00ADda'],
    ['a private-use character', 'Ada\uE000'],
    ['an unassigned code point', 'Ada\u0378'],
    ['a lone surrogate', 'Ada\uD800'],
    ['a Hangul filler (a blank that is a letter)', '\u3164'],
    ['a half-width Hangul filler', 'Ada\uFFA0'],
    ['a braille blank', '\u2800\u2800'],
    // The rest of Unicode's Default_Ignorable_Code_Point set: code points that draw nothing.
    ['a combining grapheme joiner', 'Ada\u034F'],
    ['a combining grapheme joiner between letters', 'A\u034Fda'],
    ['tag characters (an invisible "hi")', 'Ada\u{E0068}\u{E0069}'],
    ['a cancel tag alone', 'Ada\u{E007F}'],
    ['a Khmer inherent vowel', 'Ada\u17B4'],
    ['a Hangul choseong filler', '\u115FAda'],
    ['an Arabic letter mark', 'Ada\u061C'],
    ['a word joiner', 'Ada\u2060'],
    ['a Mongolian vowel separator', 'Ada\u180E'],
    ['a shorthand format control', 'Ada\u{1BCA0}'],
    ['a musical symbol begin beam', 'Ada\u{1D173}'],
    ['an unassigned default-ignorable code point', 'Ada\u{E0FFF}'],
  ])('refuses a name with %s', (_what, name) => {
    expect(new Session().decideJoin(name)).toEqual(refusal(R.nameInvisible, { max: 24 }));
  });

  it.each([
    ['combining marks alone', '\u0301\u0308'],
    ['a combining mark and spaces', ' \u0301 \u0301 '],
    ['an enclosing circle alone', '\u20DD'],
    ['variation selectors alone', '\uFE0F\uFE0E'],
    ['an ideographic variation selector alone', '\u{E0100}'],
  ])('refuses a name of %s: nothing to put the marks on (name/only-marks)', (_what, name) => {
    expect(new Session().decideJoin(name)).toEqual(refusal(R.nameOnlyMarks, { max: 24 }));
  });

  it('allows a name with an emoji in its emoji form (VS16), and keeps the selector as typed', () => {
    const s = new Session();
    expect(s.decideJoin('Ana \u2764\uFE0F')).toMatchObject({ ok: true, events: [{ name: 'Ana \u2764\uFE0F' }] });
    // A keycap digit is a digit, a selector and an enclosing keycap: the digit is its base.
    expect(s.decideJoin('1\uFE0F\u20E3')).toMatchObject({ ok: true });
    // A Japanese name with an ideographic variation selector (葛 drawn as its variant).
    expect(s.decideJoin('\u845B\u{E0100}飾')).toMatchObject({ ok: true });
  });

  it('checkName says why, and keeps the cleaned name', () => {
    expect(checkName(' Ada ')).toEqual({ ok: true, name: 'Ada' });
    expect(checkName('  ')).toEqual({ ok: false, reason: 'empty' });
    expect(checkName('A\u200BB')).toEqual({ ok: false, reason: 'invisible' });
    expect(checkName('A\u034FB')).toEqual({ ok: false, reason: 'invisible' });
    expect(checkName(' \u0301 ')).toEqual({ ok: false, reason: 'only-marks' });
    expect(checkName('y'.repeat(25))).toEqual({ ok: false, reason: 'too-long' });
    // Canonically equivalent spellings become one (NFC): e + combining acute is é.
    expect(checkName('Zoe\u0308')).toEqual({ ok: true, name: 'Zoë' });
  });

  it('a different name is free; the same name in another case is taken', () => {
    const s = new Session();
    s.join('Ada');
    expect(s.decideJoin('Adam').ok).toBe(true);
    expect(s.decideJoin('ADA')).toEqual(refusal(R.nameTaken, { name: 'ADA' }));
    expect(s.decideJoin('  ada ')).toEqual(refusal(R.nameTaken, { name: 'ada' }));
  });

  it('names that read the same after compatibility normalisation (NFKC) are taken', () => {
    const s = new Session();
    s.join('Ada');
    // Full-width letters, as an East Asian keyboard types them.
    expect(s.decideJoin('ＡＤＡ')).toEqual(refusal(R.nameTaken, { name: 'ＡＤＡ' }));
    s.join('file');
    // The "fi" ligature.
    expect(s.decideJoin('\uFB01le')).toEqual(refusal(R.nameTaken, { name: '\uFB01le' }));
    // Decomposed and precomposed accents are one name.
    s.join('Zoë');
    expect(s.decideJoin('ZOE\u0308')).toEqual(refusal(R.nameTaken, { name: 'ZOË' }));
    expect(nameKey('ＡＤＡ')).toBe(nameKey('ada'));
  });

  it('names that differ only in variation selectors look the same, so the second is taken', () => {
    const s = new Session();
    s.join('Ana \u2764\uFE0F');
    // The same heart in its text form, and with no selector at all.
    expect(s.decideJoin('Ana \u2764\uFE0E')).toEqual(refusal(R.nameTaken, { name: 'Ana \u2764\uFE0E' }));
    expect(s.decideJoin('ana \u2764')).toEqual(refusal(R.nameTaken, { name: 'ana \u2764' }));
    // A selector after a letter changes nothing on screen.
    s.join('Bo');
    expect(s.decideJoin('Bo\uFE0F')).toEqual(refusal(R.nameTaken, { name: 'Bo\uFE0F' }));
    s.join('\u845B\u{E0100}飾');
    expect(s.decideJoin('\u845B飾')).toEqual(refusal(R.nameTaken, { name: '\u845B飾' }));
    // A selector wedged between a letter and its accent still reads as the accented letter.
    s.join('Zoé');
    expect(s.decideJoin('Zoe\uFE0F\u0301')).toMatchObject({ ok: false, refusal: { rule: R.nameTaken } });
  });

  it('a name with a code point that draws nothing cannot pose as a name already taken', () => {
    const s = new Session();
    s.join('Ada');
    // Each would read "Ada" on the roster; each is refused before names are compared.
    for (const name of ['Ada\u034F', 'A\u{E0041}da', 'Ada\u00AD', '\u2060Ada']) {
      expect(s.decideJoin(name), JSON.stringify(name)).toEqual(refusal(R.nameInvisible, { max: 24 }));
    }
  });

  it('a removed player frees their name', () => {
    const s = new Session();
    const ada = s.join('Ada');
    expect(s.decideJoin('ada')).toMatchObject({ ok: false, refusal: { rule: R.nameTaken } });
    s.host({ type: 'removePlayer', playerId: ada });
    expect(s.decideJoin('ada')).toMatchObject({ ok: true, events: [{ type: 'playerJoined', name: 'ada' }] });
  });
});

describe('join codes', () => {
  it('has no characters that read alike aloud: no 0/O, no 1/I/L', () => {
    for (const c of '0O1IL') expect(CODE_ALPHABET).not.toContain(c);
    expect(new Set(CODE_ALPHABET).size).toBe(CODE_ALPHABET.length);
    expect(CODE_ALPHABET).toMatch(/^[A-Z2-9]+$/);
    expect(CODE_LENGTH).toBe(5);
  });

  it('normalises what a student typed: case, spaces and dashes do not matter', () => {
    expect(normaliseCode('abcde')).toBe('ABCDE');
    expect(normaliseCode(' ab-cd e ')).toBe('ABCDE');
    expect(normaliseCode('AB\tCD-E')).toBe('ABCDE');
    // A Chinese keyboard in full-width mode, with an ideographic space and a full-width dash.
    expect(normaliseCode('ａｂ\u3000ｃｄ－ｅ')).toBe('ABCDE');
    // A phone's "smart" dash.
    expect(normaliseCode('ABC\u2013DE')).toBe('ABCDE');
  });

  it.each([
    ['letter-spaced, as the projector shows it', 'P X E E S'],
    ['with a dash', 'PX-EES'],
    ['in lower case with a space', 'px ees'],
    ['with many spaces and dashes', '  P   X -- E  -  E   S  '],
    ['dashes between every letter', 'P-X-E-E-S'],
    ['a non-breaking space and a tab', 'P\u00a0X\tEES'],
  ])('ignores spaces and dashes whatever their number: %s', (_, typed) => {
    expect(normaliseCode(typed)).toBe('PXEES');
    expect(isCode(normaliseCode(typed))).toBe(true);
  });

  it('accepts a code of five alphabet characters', () => {
    expect(isCode('ABCDE')).toBe(true);
    expect(isCode('Z2345')).toBe(true);
    expect(isCode(normaliseCode('hj-k 9m'))).toBe(true);
  });

  it.each([
    ['too short', 'ABCD'],
    ['too long', 'ABCDEF'],
    ['a zero', 'ABCD0'],
    ['a letter O', 'ABCDO'],
    ['a one', 'ABCD1'],
    ['a letter I', 'ABCDI'],
    ['a letter L', 'ABCDL'],
    ['lower case (not normalised)', 'abcde'],
    ['a dash (not normalised)', 'AB-CD'],
    ['empty', ''],
  ])('refuses a code with %s', (_what, code) => {
    expect(isCode(code)).toBe(false);
  });
});

describe('seating', () => {
  it('autoSeat pairs students into new tables, in the order they joined', () => {
    const s = new Session();
    const [p1, p2, p3, p4] = ['Ada', 'Bo', 'Cy', 'Di'].map((n) => s.join(n));
    expect(s.host({ type: 'autoSeat', bots: false, scenario: 'two-generals' })).toEqual([
      { type: 'tableCreated', table: 'T1', scenario: 'two-generals', seats: ['A', 'B'] },
      { type: 'seatChanged', table: 'T1', seat: 'A', occupant: { type: 'player', playerId: p1 } },
      { type: 'seatChanged', table: 'T1', seat: 'B', occupant: { type: 'player', playerId: p2 } },
      { type: 'tableCreated', table: 'T2', scenario: 'two-generals', seats: ['A', 'B'] },
      { type: 'seatChanged', table: 'T2', seat: 'A', occupant: { type: 'player', playerId: p3 } },
      { type: 'seatChanged', table: 'T2', seat: 'B', occupant: { type: 'player', playerId: p4 } },
    ]);
    expect(seatOf(s.state, p4!)).toEqual({ table: 'T2', seat: 'B' });
    // Everyone is seated: a second autoSeat has nothing to do, and says so.
    expect(s.decide({ type: 'autoSeat', bots: true, scenario: 'two-generals' })).toEqual(
      refusal(R.nobodyToSeat, { playing: 0, there: 4, scenario: '@scenario.two-generals' }),
    );
  });

  it('autoSeat fills the odd seat with a bot when asked', () => {
    const s = new Session();
    const [p1, p2, p3] = ['Ada', 'Bo', 'Cy'].map((n) => s.join(n));
    s.host({ type: 'autoSeat', bots: true, scenario: 'two-generals' });
    expect(s.seats('T1')).toEqual({ A: { type: 'player', playerId: p1 }, B: { type: 'player', playerId: p2 } });
    expect(s.seats('T2')).toEqual({ A: { type: 'player', playerId: p3 }, B: { type: 'bot' } });
  });

  it('autoSeat leaves the odd seat empty when bots are not wanted, and a latecomer fills it', () => {
    const s = new Session();
    const [, , p3] = ['Ada', 'Bo', 'Cy'].map((n) => s.join(n));
    s.host({ type: 'autoSeat', bots: false, scenario: 'two-generals' });
    expect(s.seats('T2')).toEqual({ A: { type: 'player', playerId: p3 }, B: null });
    const p4 = s.join('Di');
    // The half-empty idle table is filled before a new one is opened.
    expect(s.host({ type: 'autoSeat', bots: false, scenario: 'two-generals' })).toEqual([
      { type: 'seatChanged', table: 'T2', seat: 'B', occupant: { type: 'player', playerId: p4 } },
    ]);
    expect(s.state.tableOrder).toEqual(['T1', 'T2']);
  });

  it('autoSeat gives a bot to a half-filled table that was already there', () => {
    const s = new Session();
    const p1 = s.join('Ada');
    s.host({ type: 'autoSeat', bots: false, scenario: 'two-generals' });
    expect(s.seats('T1')).toEqual({ A: { type: 'player', playerId: p1 }, B: null });
    expect(s.host({ type: 'autoSeat', bots: true, scenario: 'two-generals' })).toEqual([
      { type: 'seatChanged', table: 'T1', seat: 'B', occupant: { type: 'bot' } },
    ]);
  });

  it('autoSeat never seats anyone at a table whose game is running', () => {
    const s = new Session();
    s.join('Ada');
    s.host({ type: 'autoSeat', bots: true, scenario: 'two-generals' });
    s.host({ type: 'startGames', table: null });
    // A seat of the running table empties (its player is removed): a newcomer still gets a new table.
    s.host({ type: 'removePlayer', playerId: 'P1' });
    const p2 = s.join('Bo');
    s.host({ type: 'autoSeat', bots: true, scenario: 'two-generals' });
    expect(s.seats('T1')).toEqual({ A: null, B: { type: 'bot' } });
    expect(s.seats('T2')).toEqual({ A: { type: 'player', playerId: p2 }, B: { type: 'bot' } });
  });

  it('setSeat moves a player: their old seat empties, the new one is theirs', () => {
    const s = new Session();
    const [p1] = ['Ada', 'Bo', 'Cy'].map((n) => s.join(n));
    s.host({ type: 'autoSeat', bots: false, scenario: 'two-generals' });
    expect(s.host({ type: 'setSeat', table: 'T2', seat: 'B', occupant: { type: 'player', playerId: p1! } })).toEqual([
      { type: 'seatChanged', table: 'T1', seat: 'A', occupant: null },
      { type: 'seatChanged', table: 'T2', seat: 'B', occupant: { type: 'player', playerId: p1 } },
    ]);
    expect(s.seats('T1').A).toBeNull();
    expect(seatOf(s.state, p1!)).toEqual({ table: 'T2', seat: 'B' });
    // A seat can also be given to a bot, or emptied.
    s.host({ type: 'setSeat', table: 'T1', seat: 'A', occupant: { type: 'bot' } });
    s.host({ type: 'setSeat', table: 'T2', seat: 'B', occupant: null });
    expect(seatOf(s.state, p1!)).toBeNull();
    expect(s.seats('T1').A).toEqual({ type: 'bot' });
  });

  it('setSeat refuses to pull a student out of a running game; a running game’s seat may change hands', () => {
    const s = new Session();
    const [p1, , p3] = ['Ada', 'Bo', 'Cy'].map((n) => s.join(n));
    s.host({ type: 'autoSeat', bots: true, scenario: 'two-generals' });
    s.host({ type: 'startGames', table: 'T1' });
    // Into a running game: Cy (at idle T2) takes over seat A; Ada is left without a seat.
    expect(s.decide({ type: 'setSeat', table: 'T1', seat: 'A', occupant: { type: 'player', playerId: p3! } })).toEqual({
      ok: true,
      events: [
        { type: 'seatChanged', table: 'T2', seat: 'A', occupant: null },
        { type: 'seatChanged', table: 'T1', seat: 'A', occupant: { type: 'player', playerId: p3! } },
      ],
    });
    // Out of a running game, to an idle table.
    expect(s.decide({ type: 'setSeat', table: 'T2', seat: 'B', occupant: { type: 'player', playerId: p1! } })).toEqual(refusal(R.gameRunning, { table: 'T1' }));
    expect(seatOf(s.state, p1!)).toEqual({ table: 'T1', seat: 'A' });
    // Once the game is over, the move is allowed.
    s.host({ type: 'controlGame', table: 'T1', control: { type: 'end' } });
    expect(s.decide({ type: 'setSeat', table: 'T2', seat: 'B', occupant: { type: 'player', playerId: p1! } }).ok).toBe(true);
  });

  it('setSeat refuses an unknown table, seat or player', () => {
    const s = new Session();
    const p1 = s.join('Ada');
    s.host({ type: 'createTable', scenario: 'two-generals' });
    const me = { type: 'player' as const, playerId: p1 };
    expect(s.decide({ type: 'setSeat', table: 'T9', seat: 'A', occupant: me })).toEqual(refusal(R.unknownTable, { table: 'T9' }));
    expect(s.decide({ type: 'setSeat', table: 'T1', seat: 'C', occupant: me })).toEqual(refusal(R.unknownSeat, { seat: 'C' }));
    expect(s.decide({ type: 'setSeat', table: 'T1', seat: 'A', occupant: { type: 'player', playerId: 'P9' } })).toEqual(
      refusal(R.unknownPlayer, { player: 'P9' }),
    );
    expect(s.decide({ type: 'setSeat', table: 'T1', seat: 'A', occupant: me }).ok).toBe(true);
  });

  it('createTable knows only real scenarios', () => {
    const s = new Session();
    expect(s.decide({ type: 'createTable', scenario: 'chess' })).toEqual(refusal(R.unknownScenario, { scenario: 'chess' }));
    expect(s.host({ type: 'createTable', scenario: 'two-generals' })).toEqual([
      { type: 'tableCreated', table: 'T1', scenario: 'two-generals', seats: ['A', 'B'] },
    ]);
    expect(s.seats('T1')).toEqual({ A: null, B: null });
  });
});

describe('the road: bots at the servers, and the next level together', () => {
  it("autoSeat with bots leaves a level's servers to bots and seats students at the other seats", () => {
    const s = new Session();
    const [p1, p2] = ['Ada', 'Bo'].map((n) => s.join(n));
    s.host({ type: 'autoSeat', bots: true, scenario: 'naive' });
    expect(s.seats('T1')).toEqual({ C1: { type: 'player', playerId: p1 }, S1: { type: 'bot' }, V: { type: 'player', playerId: p2 } });
  });

  it('"Next level" moves a table\'s students to a new table of the next level, each keeping a seat it has there', () => {
    const s = new Session();
    const [p1, p2] = ['Ada', 'Bo'].map((n) => s.join(n));
    s.host({ type: 'autoSeat', bots: false, scenario: 'two-generals' });
    s.host({ type: 'nextLevel', table: 'T1' });
    expect(s.state.tables.T2!.scenario).toBe('naive');
    // A and B are not seats of level 1: the students take the students' seats in order; bots the servers.
    expect(s.seats('T2')).toEqual({ C1: { type: 'player', playerId: p1 }, S1: { type: 'bot' }, V: { type: 'player', playerId: p2 } });
    expect(s.seats('T1')).toEqual({ A: null, B: null });
    s.host({ type: 'setSeat', table: 'T2', seat: 'V', occupant: { type: 'bot' } });
    s.host({ type: 'setSeat', table: 'T2', seat: 'S1', occupant: { type: 'player', playerId: p2! } });
    // Bo played the server by the host's choice: a seat the next level has too is kept as it is.
    const events = s.decide({ type: 'nextLevel', table: 'T2' });
    expect(events.ok).toBe(true);
    if (!events.ok) return;
    s.apply(events.events, { type: 'host', command: { type: 'nextLevel', table: 'T2' } });
    expect(s.state.tables.T3!.scenario).toBe('acks');
    expect(s.seats('T3')).toMatchObject({ C1: { type: 'player', playerId: p1 }, S1: { type: 'bot' } });
    // Bo, the server of level 1, is not left out: the next level's servers are bots, so Bo takes a student's seat.
    expect(Object.values(s.seats('T3')).some((o) => o?.type === 'player' && o.playerId === p2)).toBe(true);
  });

  it('"Next level" to a level with more seats for students brings in the students of other idle tables of the same level, whole tables first', () => {
    const s = new Session();
    const ps = ['Ada', 'Bo', 'Cy', 'Di', 'Eve', 'Fu'].map((n) => s.join(n));
    s.host({ type: 'autoSeat', bots: false, scenario: 'two-generals' });
    // Level 1 has two seats for students (C1 and the valley): each pair goes on together.
    for (const t of ['T1', 'T2', 'T3']) s.host({ type: 'nextLevel', table: t });
    expect(s.seats('T4')).toMatchObject({ C1: { playerId: ps[0] }, V: { playerId: ps[1] } });
    // The tickets level has six seats for students (its servers are played by students): all six join.
    s.host({ type: 'createTable', scenario: 'two-phase' });
    s.host({ type: 'createTable', scenario: 'two-phase' });
    s.host({ type: 'setSeat', table: 'T7', seat: 'C1', occupant: { type: 'player', playerId: ps[0]! } });
    s.host({ type: 'setSeat', table: 'T7', seat: 'C2', occupant: { type: 'player', playerId: ps[1]! } });
    s.host({ type: 'setSeat', table: 'T8', seat: 'C1', occupant: { type: 'player', playerId: ps[2]! } });
    for (const [i, seat] of ['C2', 'S1', 'S2'].entries()) s.host({ type: 'setSeat', table: 'T8', seat, occupant: { type: 'player', playerId: ps[3 + i]! } });
    s.host({ type: 'nextLevel', table: 'T7' });
    const seated = Object.values(s.seats('T9')).filter((o) => o?.type === 'player').length;
    expect(seated).toBe(6);
    expect(Object.values(s.seats('T8')).every((o) => o?.type !== 'player')).toBe(true);
  });

  it('refuses "Next level" for an unknown table, a running game, or a scenario with no level after it', () => {
    const s = new Session();
    s.join('Ada');
    s.join('Bo');
    expect(s.decide({ type: 'nextLevel', table: 'T9' })).toEqual(refusal(R.unknownTable, { table: 'T9' }));
    s.host({ type: 'autoSeat', bots: false, scenario: 'two-generals' });
    s.host({ type: 'startGames', table: 'T1' });
    expect(s.decide({ type: 'nextLevel', table: 'T1' })).toEqual(refusal(R.gameRunning, { table: 'T1' }));
    s.host({ type: 'createTable', scenario: 'paxos' });
    expect(s.decide({ type: 'nextLevel', table: 'T2' })).toEqual(refusal(R.noNextLevel, { scenario: 'paxos' }));
    // Paxos has no showcase of bots; a table with no finished game has no valley to replay.
    expect(s.decide({ type: 'showFailure', scenario: 'paxos' })).toEqual(refusal(R.noShowcase, { scenario: 'paxos' }));
    expect(s.decide({ type: 'showFailure', scenario: 'nope' })).toEqual(refusal(R.unknownScenario, { scenario: 'nope' }));
    expect(s.decide({ type: 'sameValleyNext', table: 'T2' })).toEqual(refusal(R.gameNotEnded, { table: 'T2' }));
  });
});

describe('starting games', () => {
  it('starts every full idle table, each with its own seed from the session seed', () => {
    const s = new Session();
    ['Ada', 'Bo', 'Cy', 'Di'].forEach((n) => s.join(n));
    s.host({ type: 'autoSeat', bots: false, scenario: 'two-generals' });
    const settings = { ...tg.defaultConfig, captureRate: 0.5 };
    s.host({ type: 'setSettings', scenario: 'two-generals', settings });
    expect(s.host({ type: 'startGames', table: null })).toEqual([
      { type: 'gameStarted', table: 'T1', game: 1, scenario: 'two-generals', seed: deriveSeed(42, 1), config: settings },
      { type: 'gameStarted', table: 'T2', game: 2, scenario: 'two-generals', seed: deriveSeed(42, 2), config: settings },
    ]);
    expect((s.state.tables.T1!.game!.state as tg.State).status).toBe('running');
    expect(s.state.gamesStarted).toBe(2);
    // Running tables are skipped; with nothing left to start, the command is refused.
    expect(s.decide({ type: 'startGames', table: null })).toEqual(refusal(R.nothingToStart));
    expect(s.decide({ type: 'startGames', table: 'T1' })).toEqual(refusal(R.gameRunning, { table: 'T1' }));
  });

  it('refuses a table with an empty seat, naming the seat', () => {
    const s = new Session();
    s.join('Ada');
    s.host({ type: 'autoSeat', bots: false, scenario: 'two-generals' });
    expect(s.decide({ type: 'startGames', table: 'T1' })).toEqual(refusal(R.seatEmpty, { table: 'T1', seat: 'B' }));
    // Starting all tables skips it, and with nothing else to start says so.
    expect(s.decide({ type: 'startGames', table: null })).toEqual(refusal(R.nothingToStart));
    expect(s.decide({ type: 'startGames', table: 'T7' })).toEqual(refusal(R.unknownTable, { table: 'T7' }));
    s.host({ type: 'setSeat', table: 'T1', seat: 'B', occupant: { type: 'bot' } });
    expect(s.decide({ type: 'startGames', table: 'T1' })).toMatchObject({ ok: true, events: [{ type: 'gameStarted', table: 'T1' }] });
  });

  it('a finished game goes into the results with the names at the table', () => {
    const s = new Session();
    ['Ada', 'Bo'].forEach((n) => s.join(n));
    s.host({ type: 'autoSeat', bots: false, scenario: 'two-generals' });
    s.host({ type: 'startGames', table: null });
    expect(s.decide({ type: 'controlGame', table: 'T2', control: { type: 'end' } })).toEqual(refusal(R.unknownTable, { table: 'T2' }));
    s.now = 5_000;
    s.host({ type: 'controlGame', table: 'T1', control: { type: 'end' } });
    expect(s.state.results).toEqual([
      {
        table: 'T1',
        game: 1,
        scenario: 'two-generals',
        startedAt: 1000,
        endedAt: 5_000,
        verdict: expect.objectContaining({ outcome: 'noBattle', messengersSent: 0 }),
        players: { A: 'Ada', B: 'Bo' },
      },
    ]);
    // A game is over: controlling it again is refused by the scenario.
    expect(s.decide({ type: 'controlGame', table: 'T1', control: { type: 'pause' } })).toEqual(refusal(tg.TG_RULES.notRunning, { status: 'ended' }));
  });

  it('a table without a game cannot be controlled', () => {
    const s = new Session();
    s.host({ type: 'createTable', scenario: 'two-generals' });
    expect(s.decide({ type: 'controlGame', table: 'T1', control: { type: 'pause' } })).toEqual(refusal(R.noGame, { table: 'T1' }));
  });
});

describe('removing a player', () => {
  it('empties their seat first, then marks them removed', () => {
    const s = new Session();
    const [p1, p2] = ['Ada', 'Bo'].map((n) => s.join(n));
    s.host({ type: 'autoSeat', bots: false, scenario: 'two-generals' });
    expect(s.host({ type: 'removePlayer', playerId: p1! })).toEqual([
      { type: 'seatChanged', table: 'T1', seat: 'A', occupant: null },
      { type: 'playerRemoved', playerId: p1 },
    ]);
    expect(s.state.players[p1!]!.removed).toBe(true);
    expect(s.seats('T1')).toEqual({ A: null, B: { type: 'player', playerId: p2 } });
    expect(playerView(s.state, p1!)).toBeNull();
    expect(hostView(s.state).players.map((p) => p.id)).toEqual([p2]);
  });

  it('even mid-game: the other general plays on', () => {
    const s = new Session();
    const [p1] = ['Ada', 'Bo'].map((n) => s.join(n));
    s.host({ type: 'autoSeat', bots: false, scenario: 'two-generals' });
    s.host({ type: 'startGames', table: null });
    s.host({ type: 'removePlayer', playerId: p1! });
    expect(s.seats('T1').A).toBeNull();
    expect((s.state.tables.T1!.game!.state as tg.State).status).toBe('running');
  });

  it('refuses an unknown or already removed player', () => {
    const s = new Session();
    const p1 = s.join('Ada');
    expect(s.decide({ type: 'removePlayer', playerId: 'P9' })).toEqual(refusal(R.unknownPlayer, { player: 'P9' }));
    s.host({ type: 'removePlayer', playerId: p1 });
    expect(s.decide({ type: 'removePlayer', playerId: p1 })).toEqual(refusal(R.unknownPlayer, { player: p1 }));
    // Nor may a removed player be given a seat.
    s.host({ type: 'createTable', scenario: 'two-generals' });
    expect(s.decide({ type: 'setSeat', table: 'T1', seat: 'A', occupant: { type: 'player', playerId: p1 } })).toEqual(refusal(R.unknownPlayer, { player: p1 }));
  });
});

describe('views', () => {
  function playing() {
    const s = new Session();
    const [ada, bo, cy] = ['Ada', 'Bo', 'Cy'].map((n) => s.join(n));
    s.host({ type: 'setSettings', scenario: 'two-generals', settings: { ...tg.defaultConfig, captureRate: 0, delayMinMs: 1000, delayMaxMs: 1000 } });
    s.host({ type: 'autoSeat', bots: true, scenario: 'two-generals' });
    s.host({ type: 'startGames', table: null });
    return { s, ada: ada!, bo: bo!, cy: cy! };
  }

  it('a student sees their own seat, their tablemates by name, and their own seat\u2019s game view', () => {
    const { s, ada, cy } = playing();
    const v = playerView(s.state, ada)!;
    expect(v.code).toBe('ABCDE');
    expect(v.player).toEqual({ id: ada, name: 'Ada' });
    expect(v.seat).toEqual({ table: 'T1', seat: 'A', scenario: 'two-generals' });
    expect(v.tablemates).toEqual({ B: 'Bo' });
    expect(v.game).toMatchObject({ index: 1, view: { scenario: 'two-generals', seat: 'A', status: 'running' } });
    expect(playerView(s.state, cy)!.tablemates).toEqual({ B: 'bot' });
    // No token hash, and nothing of any other table, reaches a student.
    expect(JSON.stringify(v)).not.toContain('hash-');
    expect(JSON.stringify(v)).not.toContain('Cy');
  });

  it('a messenger in flight is seen by its sender only; once delivered, by its receiver too', () => {
    const { s, ada, bo } = playing();
    const g = () => s.state.tables.T1!.game!.state as tg.State;
    const sent = tg.twoGenerals;
    const r = sent.decide(g(), 'A', { type: 'sendMessenger', payload: { type: 'note', text: 'secret plan' } }, s.now);
    if (!r.ok) throw new Error('refused');
    s.apply(
      r.events.map((event) => ({ type: 'game' as const, table: 'T1', game: 1, event })),
      { type: 'act', player: ada, action: { type: 'sendMessenger', payload: { type: 'note', text: 'secret plan' } } },
    );
    const view = (id: string) => playerView(s.state, id)!.game!.view as tg.TGView;
    expect(view(ada).sent).toEqual([{ n: 1, payload: { type: 'note', text: 'secret plan' }, sentAt: s.now, status: null, acknowledged: null }]);
    expect(view(bo).received).toEqual([]);
    expect(JSON.stringify(playerView(s.state, bo))).not.toContain('secret plan');
    s.now += 1000;
    s.apply(
      sent.tick(g(), s.now).map((event) => ({ type: 'game' as const, table: 'T1', game: 1, event })),
      { type: 'tick', table: 'T1' },
    );
    expect(view(bo).received).toEqual([{ n: 1, payload: { type: 'note', text: 'secret plan' }, arrivedAt: s.now, ackable: true }]);
  });

  it('a student without a seat sees the lobby only', () => {
    const s = new Session();
    const p = s.join('Ada');
    expect(playerView(s.state, p)).toEqual({ code: 'ABCDE', player: { id: p, name: 'Ada' }, seat: null, tablemates: {}, game: null });
    expect(playerView(s.state, 'P9')).toBeNull();
  });

  it('the host sees every player, every table and every game', () => {
    const { s } = playing();
    const v = hostView(s.state);
    expect(v.players).toEqual([
      { id: 'P1', name: 'Ada', seat: { table: 'T1', seat: 'A' } },
      { id: 'P2', name: 'Bo', seat: { table: 'T1', seat: 'B' } },
      { id: 'P3', name: 'Cy', seat: { table: 'T2', seat: 'A' } },
    ]);
    expect(v.tables.map((t) => [t.id, t.seats.A!.name, t.seats.B!.name, t.game?.index])).toEqual([
      ['T1', 'Ada', 'Bo', 1],
      ['T2', 'Cy', 'bot', 2],
    ]);
    expect(JSON.stringify(v)).not.toContain('hash-');
  });
});

describe('reduce', () => {
  it('refuses an event out of order', () => {
    const s = initialSession(header);
    expect(() => reduce(s, { seq: 2, at: 1, type: 'tableCreated', table: 'T1', scenario: 'two-generals', seats: ['A', 'B'] })).toThrow(
      'event 2 out of order after 0',
    );
    const one = reduce(s, { seq: 1, at: 1, type: 'tableCreated', table: 'T1', scenario: 'two-generals', seats: ['A', 'B'] });
    expect(one.seq).toBe(1);
    expect(() => reduce(one, { seq: 1, at: 1, type: 'tableCreated', table: 'T2', scenario: 'two-generals', seats: ['A', 'B'] })).toThrow('out of order');
  });

  it('refuses an event naming a table, player or game that does not exist', () => {
    const s = initialSession(header);
    expect(() => reduce(s, { seq: 1, at: 1, type: 'seatChanged', table: 'T1', seat: 'A', occupant: null })).toThrow('unknown table T1');
    expect(() => reduce(s, { seq: 1, at: 1, type: 'playerRemoved', playerId: 'P1' })).toThrow('unknown player P1');
    const t = reduce(s, { seq: 1, at: 1, type: 'tableCreated', table: 'T1', scenario: 'two-generals', seats: ['A', 'B'] });
    expect(() => reduce(t, { seq: 2, at: 1, type: 'game', table: 'T1', game: 1, event: { type: 'paused' } })).toThrow('not running at T1');
  });
});
