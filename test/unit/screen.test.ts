// A student's screen travels as patches: every patch the server makes, applied in order to the screen
// the student holds, gives exactly the screen the server computed; old patches are ignored and a
// missing one is noticed.
import fc from 'fast-check';
import fjp from 'fast-json-patch';
import { describe, expect, it } from 'vitest';
import { Screen, diffScreen, paxos, px, simulate, tg, twoGenerals, type AnyScenario } from '@valley/shared';

/** Every seat's screen after every event of a few seeded games. */
function screens(sc: AnyScenario, config: unknown, seeds: number[]) {
  const out: unknown[][] = [];
  for (const seed of seeds) {
    const r = simulate(sc, config, seed);
    for (const seat of sc.seatsFor(config)) {
      let state = sc.init(config, seed, 0);
      const seq = [sc.view(state, seat)];
      for (const { at, event } of r.events) seq.push(sc.view((state = sc.apply(state, event, at)), seat));
      out.push(seq);
    }
  }
  return out;
}

describe('screens as patches', () => {
  const cases: [string, unknown[][]][] = [
    ['Two Generals', screens(twoGenerals, { ...tg.defaultConfig, captureRate: 0.3 }, [1, 2, 3, 4, 5, 6, 7, 8])],
    [
      'Paxos',
      screens(
        paxos,
        paxos.fitConfig(
          { ...px.defaultConfig, proposers: 2, acceptors: 5, learners: 1, captureRate: 0.2 },
          paxos.seatsFor({ ...px.defaultConfig, proposers: 2, acceptors: 5, learners: 1 }),
        ),
        [1, 2],
      ),
    ],
  ];
  for (const [name, seqs] of cases) {
    it(`${name}: patching from the first screen through every change gives every screen exactly`, () => {
      let patches = 0;
      for (const seq of seqs) {
        // One client that copies (a page) and one that changes in place (a bot).
        const page = new Screen<unknown>();
        const bot = new Screen<unknown>(true);
        page.reset(structuredClone(seq[0]), 0);
        bot.reset(structuredClone(seq[0]), 0);
        let v = 0;
        for (let i = 1; i < seq.length; i++) {
          const ops = diffScreen(seq[i - 1], seq[i]);
          // The same operations the library's own compare() makes (which copies every value), in any order.
          const sorted = (xs: unknown[]) => xs.map((x) => JSON.stringify(x)).sort();
          expect(sorted(ops ?? [])).toEqual(sorted(fjp.compare(seq[i - 1] as object, seq[i] as object)));
          if (!ops) {
            expect(seq[i]).toEqual(seq[i - 1]);
            continue;
          }
          const held = page.view;
          // Over the wire, as JSON: the patch refers to the server's screen, a client gets a copy.
          const wire = () => JSON.parse(JSON.stringify(ops));
          expect(page.apply({ from: v, to: v + 1, ops: wire() })).toBe('applied');
          expect(bot.apply({ from: v, to: v + 1, ops: wire() })).toBe('applied');
          v++;
          patches++;
          expect(page.view).toEqual(seq[i]);
          expect(bot.view).toEqual(seq[i]);
          // A page gets a new object (its framework redraws on that); the one it held is untouched.
          expect(page.view).not.toBe(held);
        }
      }
      expect(patches).toBeGreaterThan(50);
    });
  }

  it('any two JSON values: the patch turns the first into the second', () => {
    // Values as JSON gives them (no undefined, no -0), keys including the ones paths must escape.
    const key = fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('a/b', '~', '~1', '', '0', 'length'));
    const json = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, fc.constant(null), fc.boolean(), fc.integer(), fc.string({ maxLength: 3 }), tie('array'), tie('object')),
      array: fc.array(tie('value'), { maxLength: 5 }),
      object: fc.dictionary(key, tie('value'), { maxKeys: 5 }),
    }));
    // A screen is an object; what is inside it, anything.
    const screen = fc.oneof(json.object, json.array);
    fc.assert(
      fc.property(screen, screen, (a, b) => {
        const ops = diffScreen(a, b);
        const s = new Screen<unknown>();
        s.reset(structuredClone(a), 0);
        if (ops === null) {
          expect(b).toEqual(a);
          return;
        }
        expect(s.apply({ from: 0, to: 1, ops: JSON.parse(JSON.stringify(ops)) })).toBe('applied');
        expect(s.view).toEqual(b);
      }),
      { numRuns: 2000 },
    );
  });

  it('an old patch is ignored; a missing or misfitting one is a gap, and the screen is kept', () => {
    const s = new Screen<{ a: number[] }>();
    s.reset({ a: [1] }, 3);
    expect(s.apply({ from: 2, to: 3, ops: [{ op: 'add', path: '/a/1', value: 9 }] })).toBe('stale');
    expect(s.apply({ from: 4, to: 5, ops: [{ op: 'add', path: '/a/1', value: 9 }] })).toBe('gap');
    expect(s.apply({ from: 3, to: 4, ops: [{ op: 'replace', path: '/nothing/here', value: 1 }] })).toBe('gap');
    expect(s.view).toEqual({ a: [1] });
    expect(s.version).toBe(3);
    expect(s.apply({ from: 3, to: 4, ops: [{ op: 'add', path: '/a/1', value: 2 }] })).toBe('applied');
    expect(s.view).toEqual({ a: [1, 2] });
    // Nothing held yet: any patch is a gap.
    expect(new Screen().apply({ from: -1, to: 0, ops: [] })).toBe('gap');
  });

  it('a patch cannot reach an object prototype', () => {
    const s = new Screen<Record<string, unknown>>(true);
    s.reset({}, 0);
    expect(s.apply({ from: 0, to: 1, ops: [{ op: 'add', path: '/__proto__/polluted', value: true }] })).toBe('gap');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
