// The e2e suite's check on every screen it visits: it must catch a raw rule id, a key the catalogue
// gave back for want of an entry, an unfilled placeholder — and leave ordinary words, addresses and
// ballots alone.
import { describe, expect, it } from 'vitest';
import { screenWordsDetector } from '../support/screen-words.ts';

const find = screenWordsDetector();
const matches = (text: string) => find(text).map((f) => [f.kind, f.match]);

describe('the screen words detector', () => {
  it('finds a rule id the server sent, as the free-mode debrief once showed it', () => {
    expect(matches('Broken rules\nB: paxos/accept-wrong-value')).toEqual([['rule id', 'paxos/accept-wrong-value']]);
    expect(matches('refused (road/not-in-flight)')).toEqual([['rule id', 'road/not-in-flight']]);
    expect(matches('net/offline')).toEqual([['rule id', 'net/offline']]);
  });

  it('finds a rule id of a namespace the catalogue has, even when that rule has no entry', () => {
    expect(matches('Something went wrong: paxos/made-up-rule')).toEqual([['rule id', 'paxos/made-up-rule']]);
  });

  it("finds a catalogue key t() gave back, whether or not it exists, and an '@key' left unresolved", () => {
    expect(matches('Table T1 · host.table.nothingHere')).toEqual([['catalogue key', 'host.table.nothingHere']]);
    expect(matches('debrief.title')).toEqual([['catalogue key', 'debrief.title']]);
    expect(matches('seat: @role.nobody')).toEqual([['catalogue key', '@role.nobody']]);
    expect(matches('rule.paxos/accept-wrong-value')).toContainEqual(['catalogue key', 'rule.paxos/accept-wrong-value']);
  });

  it('finds an unfilled placeholder and values that were never text', () => {
    expect(matches('You are {seat} at table T1.')).toEqual([['placeholder', '{seat}']]);
    expect(matches('chosen: [object Object]; at undefined, NaN s')).toEqual([
      ['not text', '[object Object]'],
      ['not text', 'undefined'],
      ['not text', 'NaN'],
    ]);
  });

  it('leaves words, addresses, ballots, times and Chinese alone', () => {
    const fine = [
      'Ada L. as the valley. Ballot 3.B got a majority.',
      'Students open http://192.168.1.20:3000/join/PXEES or valley.app/play/ABCD',
      'The game. Then the next one; the name. 12px',
      'log: /api/sessions/abc/log.ndjson',
      '提案者 B 的票号 2.B 得到了多数接受者的接受。',
      'Two-phase: lock/unlock, executed-twice, two-values',
    ];
    for (const text of fine) expect(matches(text), text).toEqual([]);
  });
});
