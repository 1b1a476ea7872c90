import { appendFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { watchForSends } from '../../../src/adapters/embedded/sqlite-wakeup.js'
import { tempDir } from './temp-dir.js'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('watchForSends', () => {
  describe('when the write-ahead log changes', () => {
    it('looks again after the writer may have published its commit', async () => {
      const dir = await tempDir()
      const file = join(dir.path, 'jobs.db')
      const calls: number[] = []
      const errors: Error[] = []
      const stop = watchForSends(
        file,
        () => calls.push(Date.now()),
        (e) => {
          errors.push(e)
        },
      )
      try {
        const changedAt = Date.now()
        await appendFile(`${file}-wal`, 'frame')
        await sleep(500)

        // One call for the event itself, then the later looks: a commit
        // made visible only after the event is still picked up.
        expect(calls.length).toBeGreaterThanOrEqual(3)
        expect(Math.max(...calls) - changedAt).toBeGreaterThanOrEqual(150)
        expect(errors).toEqual([])
      } finally {
        stop()
        await dir.remove()
      }
    })

    it('stops looking once stopped', async () => {
      const dir = await tempDir()
      const file = join(dir.path, 'jobs.db')
      let calls = 0
      const stop = watchForSends(
        file,
        () => calls++,
        () => {},
      )
      try {
        await appendFile(`${file}-wal`, 'frame')
        await sleep(50)
        stop()
        const before = calls

        await sleep(300)

        expect(calls).toBe(before)
      } finally {
        stop()
        await dir.remove()
      }
    })
  })
})
