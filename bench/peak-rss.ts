// Peak resident memory of this process, for benchmark children that report their own.

import { readFileSync } from 'node:fs';

/**
 * This process's peak resident memory in MB: Linux's VmHWM, not getrusage's maxrss — the latter
 * survives fork and exec, so a child would report its parent's peak (a bench holding its generated
 * data) as its own. Elsewhere, maxrss.
 */
export function peakRssMB(): number {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Math.round(Number(m[1]) / 1024);
  } catch {
    // not Linux
  }
  return Math.round(process.resourceUsage().maxRSS / 1024);
}
