import { createHash } from 'node:crypto'
import { median, round } from './stats.js'

/**
 * A fixed piece of CPU work (hashing 8 MiB), timed like the benchmarks.
 * Dividing a figure by it gives a ratio that moves less when the machine
 * is slower or busier, so runs on different days can be compared.
 */
export function calibrate(): { baseline_ms: number } {
  const chunk = Buffer.alloc(1024 * 1024, 7)
  const once = () => {
    const start = performance.now()
    const hash = createHash('sha256')
    for (let i = 0; i < 8; i += 1) hash.update(chunk)
    hash.digest()
    return performance.now() - start
  }

  for (let i = 0; i < 3; i += 1) once()
  const times = Array.from({ length: 15 }, once)
  return { baseline_ms: round(median(times)) }
}
