// What a bench server child reports of itself every second and at each window's start: memory, its CPU
// share since the last report, and the event-loop delay since the last reset (the histogram records
// each sampling interval, so the lag is what exceeds the resolution).
import { monitorEventLoopDelay } from 'node:perf_hooks';

export const RESOLUTION_MS = 5;

export function processMeter(extra: () => Record<string, unknown>) {
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  const lagMs = (ns: number) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
  delay.enable();
  let cpu = process.cpuUsage();
  let last = performance.now();
  return {
    stats() {
      const now = performance.now();
      const used = process.cpuUsage(cpu);
      const msg = {
        type: 'stats',
        rssMB: process.memoryUsage.rss() / 2 ** 20,
        heapMB: process.memoryUsage().heapUsed / 2 ** 20,
        cpu: (used.user + used.system) / 1000 / (now - last),
        lag: { p50: lagMs(delay.percentile(50)), p99: lagMs(delay.percentile(99)), max: lagMs(delay.max), mean: lagMs(delay.mean) },
        ...extra(),
      };
      cpu = process.cpuUsage();
      last = now;
      return msg;
    },
    /** A new measurement window: the delay histogram starts again. */
    reset() {
      delay.reset();
    },
  };
}
