import { describe, expect, it } from 'vitest'
import { retryDelayMs } from '../src/retry-delay.js'

describe('retryDelayMs', () => {
  const options = { baseDelayMs: 1000, maxDelayMs: 30_000 }

  it('doubles the delay with each delivery', () => {
    const top = { ...options, random: () => 0.999999 }

    expect(retryDelayMs(1, top)).toBe(1000)
    expect(retryDelayMs(2, top)).toBe(2000)
    expect(retryDelayMs(4, top)).toBe(8000)
  })

  it('never exceeds the maximum delay', () => {
    const top = { ...options, random: () => 0.999999 }

    expect(retryDelayMs(6, top)).toBe(30_000)
    expect(retryDelayMs(1000, top)).toBe(30_000)
  })

  it('keeps at least half the delay whatever the jitter', () => {
    expect(retryDelayMs(3, { ...options, random: () => 0 })).toBe(2000)
    expect(retryDelayMs(3, { ...options, random: () => 0.5 })).toBe(3000)
  })
})
