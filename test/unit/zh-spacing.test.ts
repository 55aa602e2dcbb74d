// Chinese beside Latin letters and digits: one space between them, everywhere. The zh catalogue is
// written so, and where a placeholder meets Chinese text the renderer puts the space in when the value
// needs it (a seat "将军 B", a ballot "3.B"), and not for a Chinese value (a name "小安").
import { describe, expect, it } from 'vitest';
import { render } from '../../client/src/i18n/render.ts';
import { zh } from '../../client/src/i18n/zh.ts';

const HAN = '\\p{Script=Han}';
const LATIN = '[A-Za-z0-9]';
const tight = new RegExp(`${HAN}${LATIN}|${LATIN}${HAN}`, 'u');
const wide = new RegExp(`${HAN}\\s{2,}${LATIN}|${LATIN}\\s{2,}${HAN}|${HAN}[^\\S ]+${LATIN}|${LATIN}[^\\S ]+${HAN}`, 'u');
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
const fillAll = (s: string, v: string) => Object.fromEntries(placeholders(s).map((p) => [p, v]));

describe('spacing between Chinese and Latin text', () => {
  it('the zh catalogue puts exactly one space between a Chinese character and a Latin letter or digit', () => {
    const bad = Object.entries(zh).filter(([, v]) => {
      const text = v.replace(/\{\w+\}/g, '¤');
      return tight.test(text) || wide.test(text);
    });
    expect(bad).toEqual([]);
  });

  it('every zh entry, filled with Latin values, keeps one space where a value meets Chinese text', () => {
    for (const value of ['B', '3.B', '42', 'x+1']) {
      const bad = Object.keys(zh)
        .map((k) => [k, render(zh, k, fillAll(zh[k as keyof typeof zh], value))] as const)
        .filter(([, text]) => tight.test(text) || wide.test(text));
      expect(bad, value).toEqual([]);
    }
  });

  it('puts no space between a Chinese value and Chinese text', () => {
    expect(render(zh, 'tg.ladder.that.other', { seat: '小安', what: '小博知道计划' })).toBe('小安知道小博知道计划');
  });

  it('spaces a seat label ending in a letter from the Chinese after it', () => {
    expect(render(zh, 'tg.ladder.plan.other', { seat: '将军 B' })).toBe('将军 B 知道计划');
    expect(render(zh, 'tg.ladder.that.other', { seat: '@seat.A', what: render(zh, 'tg.ladder.plan.other', { seat: '@seat.B' }) })).toBe(
      `${zh['seat.A']} 知道${zh['seat.B']} 知道计划`,
    );
  });
});
