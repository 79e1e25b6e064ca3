// What each side of a bench reports to bench/main.ts: CPU time and peak RSS of its own process.
const cpuAtStart = process.cpuUsage()

export function trackPeakRss(everyMs = 100): { value: number } {
  const peak = { value: process.memoryUsage.rss() }
  setInterval(() => {
    const rss = process.memoryUsage.rss()
    if (rss > peak.value) peak.value = rss
  }, everyMs).unref()
  return peak
}

export function sideReport<E extends Record<string, number>>(peak: { value: number }, extra: E): { cpuUs: number; peakRss: number } & E {
  const cpu = process.cpuUsage(cpuAtStart)
  const rss = process.memoryUsage.rss()
  return { cpuUs: cpu.user + cpu.system, peakRss: Math.max(peak.value, rss), ...extra }
}
