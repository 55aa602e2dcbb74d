import { describe, expect, it } from 'vitest';
import { defaultValley, deriveSeed, messengerFate } from '@valley/shared';

describe('the valley', () => {
  it('gives the same fate for the same seed and messenger number', () => {
    for (let n = 1; n <= 200; n++) {
      expect(messengerFate(42, n, defaultValley)).toEqual(messengerFate(42, n, defaultValley));
    }
  });

  it('gives different games different fates', () => {
    const a = Array.from({ length: 64 }, (_, n) => messengerFate(1, n + 1, defaultValley).type);
    const b = Array.from({ length: 64 }, (_, n) => messengerFate(2, n + 1, defaultValley).type);
    expect(a).not.toEqual(b);
  });

  it.each([0.1, 0.3, 0.5, 0.9])('captures close to p = %f of 10,000 messengers', (p) => {
    const N = 10_000;
    let captured = 0;
    for (let n = 1; n <= N; n++) if (messengerFate(deriveSeed(99, 3), n, { ...defaultValley, captureRate: p }).type === 'captured') captured++;
    // Four standard deviations of a binomial(N, p): fails by chance about once in 16,000 runs, and
    // the seed is fixed, so it never flickers.
    const sd = Math.sqrt(N * p * (1 - p));
    expect(Math.abs(captured - N * p)).toBeLessThan(4 * sd);
  });

  it('never captures at p = 0 and always captures at p = 1', () => {
    for (let n = 1; n <= 1000; n++) {
      expect(messengerFate(5, n, { ...defaultValley, captureRate: 0 }).type).toBe('delivered');
      expect(messengerFate(5, n, { ...defaultValley, captureRate: 1 }).type).toBe('captured');
    }
  });

  it('delays every delivery within the range and spreads it across the range', () => {
    const s = { captureRate: 0, delayMinMs: 1000, delayMaxMs: 3000 };
    const delays = Array.from({ length: 2000 }, (_, n) => messengerFate(11, n + 1, s).afterMs);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(1000);
    expect(Math.max(...delays)).toBeLessThanOrEqual(3000);
    expect(Math.min(...delays)).toBeLessThan(1100);
    expect(Math.max(...delays)).toBeGreaterThan(2900);
  });

  it('catches a captured messenger halfway across', () => {
    const s = { captureRate: 1, delayMinMs: 2000, delayMaxMs: 2000 };
    expect(messengerFate(3, 1, s)).toEqual({ type: 'captured', afterMs: 1000 });
  });
});
