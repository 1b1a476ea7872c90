import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { TSchema } from '@sinclair/typebox'
import { beforeAll, describe, expect, it } from 'vitest'
import { ApiEnv } from '../../src/config.js'
// The worker is not a dependency of the api; its schema is read from source.
import { WorkerEnv } from '../../../worker/src/config.js'

const file = fileURLToPath(new URL('../../../../.env.example', import.meta.url))

/** `NAME=value` lines (the default) and `# NAME=` lines (no default). */
function documented(text: string) {
  const entries = new Map<string, { value: string; commented: boolean }>()
  for (const line of text.split('\n')) {
    const match = line.match(/^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/)
    if (!match) continue
    entries.set(match[2]!, { value: match[3]!, commented: Boolean(match[1]) })
  }
  return entries
}

describe('.env.example', () => {
  let entries: ReturnType<typeof documented>

  beforeAll(async () => {
    entries = documented(await readFile(file, 'utf8'))
  })

  describe.each([
    ['API', ApiEnv.properties],
    ['worker', WorkerEnv.properties],
  ] as const)('for the %s', (_, properties) => {
    it('documents every variable it reads', () => {
      const missing = Object.keys(properties).filter((k) => !entries.has(k))

      expect(missing).toEqual([])
    })

    it('shows each uncommented value as the schema default', () => {
      for (const [name, entry] of entries) {
        const schema = (properties as Record<string, TSchema>)[name]
        if (!schema || entry.commented) continue
        expect(entry.value, name).toBe(String(schema.default))
      }
    })
  })

  it('names no variable that neither service reads', () => {
    const known = new Set([
      ...Object.keys(ApiEnv.properties),
      ...Object.keys(WorkerEnv.properties),
    ])

    expect([...entries.keys()].filter((k) => !known.has(k))).toEqual([])
  })
})
