// The one injected clock: the server reads time and sets timers only through this, so tests run games
// in fake time and a replay never depends on the wall clock.

export interface Timer {
  readonly at: number;
}

export interface Clock {
  now(): number;
  setTimer(at: number, fn: () => void): Timer;
  clearTimer(t: Timer): void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimer(at, fn) {
    const wait = at - Date.now();
    // Due already (a valley with no delay): next turn of the event loop, not a timer's 1 ms later.
    if (wait <= 0) return { at, immediate: setImmediate(fn) } as Timer;
    const handle = setTimeout(fn, wait);
    handle.unref?.();
    return { at, handle } as Timer;
  },
  clearTimer(t) {
    const x = t as Timer & { handle?: NodeJS.Timeout; immediate?: NodeJS.Immediate };
    if (x.immediate) clearImmediate(x.immediate);
    else clearTimeout(x.handle);
  },
};

interface ManualTimer extends Timer {
  fn: () => void;
  id: number;
}

/** Fake time for tests: nothing happens until advance() moves the clock and fires what is due. */
export class ManualClock implements Clock {
  private t: number;
  private timers = new Set<ManualTimer>();
  private ids = 0;
  /** Awaited after each timer fires, so the work it queued (log writes) finishes before the next. */
  settle: () => Promise<void> = async () => {};

  constructor(start = 1_700_000_000_000) {
    this.t = start;
  }
  now() {
    return this.t;
  }
  setTimer(at: number, fn: () => void): Timer {
    const timer = { at, fn, id: this.ids++ };
    this.timers.add(timer);
    return timer;
  }
  clearTimer(t: Timer) {
    this.timers.delete(t as ManualTimer);
  }
  async advance(ms: number) {
    const end = this.t + ms;
    await this.settle();
    for (;;) {
      let next: ManualTimer | null = null;
      for (const timer of this.timers) if (timer.at <= end && (!next || timer.at < next.at || (timer.at === next.at && timer.id < next.id))) next = timer;
      if (!next) break;
      this.timers.delete(next);
      this.t = Math.max(this.t, next.at);
      next.fn();
      await this.settle();
    }
    this.t = end;
    await this.settle();
  }
}
