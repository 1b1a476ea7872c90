import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openSqliteDatabase } from '../../../src/adapters/embedded/sqlite-database.js'
import { tempDir } from './temp-dir.js'

describe('openSqliteDatabase', () => {
  it('creates the folder and opens the file in WAL mode', async () => {
    const dir = await tempDir()
    const db = openSqliteDatabase(join(dir.path, 'nested', 'deeper', 'j.db'))
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
      expect(db.pragma('busy_timeout', { simple: true })).toBe(5000)
      expect(db.pragma('user_version', { simple: true })).toBeGreaterThan(0)
    } finally {
      db.close()
      await dir.remove()
    }
  })

  it('migrates once when opened twice', async () => {
    const dir = await tempDir()
    const file = join(dir.path, 'j.db')
    const first = openSqliteDatabase(file)
    const second = openSqliteDatabase(file)
    try {
      expect(second.pragma('user_version', { simple: true })).toBe(
        first.pragma('user_version', { simple: true }),
      )
    } finally {
      first.close()
      second.close()
      await dir.remove()
    }
  })

  it('refuses a file from a newer schema', async () => {
    const dir = await tempDir()
    const file = join(dir.path, 'j.db')
    const db = openSqliteDatabase(file)
    db.pragma('user_version = 999')
    db.close()
    try {
      expect(() => openSqliteDatabase(file)).toThrow(/newer than this code/)
    } finally {
      await dir.remove()
    }
  })
})
