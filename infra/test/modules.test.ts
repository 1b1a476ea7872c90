import { existsSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  bracketProblem,
  moduleOutputs,
  moduleParams,
  moduleUses,
  topLevelKeys,
} from './support/bicep-modules.js'
import { readRepoFile, repoRoot } from './support/bicep-text.js'

const files = [
  'infra/main.bicep',
  ...readdirSync(join(repoRoot, 'infra/modules'))
    .filter((f) => f.endsWith('.bicep'))
    .map((f) => `infra/modules/${f}`),
]

describe('the Bicep helpers', () => {
  it('find a bracket that never closes, or one that does not match', () => {
    expect(bracketProblem('var a = { b: [1, 2 }')).toMatch(/unexpected "}"/)
    expect(bracketProblem('var a = (1')).toMatch(/never closes/)
    expect(bracketProblem("var a = '{' // ]")).toBeUndefined()
  })

  it('list only the keys of the outer object', () => {
    const block = `{
      name: 'x'
      params: { inner: 1 }, other: a ? b : c
    }`
    expect(topLevelKeys(block)).toEqual(['name', 'params', 'other'])
  })
})

describe.each(files)('%s', (file) => {
  const source = readRepoFile(file)

  it('has balanced brackets', () => {
    expect(bracketProblem(source)).toBeUndefined()
  })

  const uses = moduleUses(source)
  if (uses.length === 0) return

  it.each(uses)('passes module $symbol only the params it declares', (use) => {
    const path = join(repoRoot, dirname(file), use.path)
    expect(existsSync(path), use.path).toBe(true)
    const { required, optional } = moduleParams(
      readRepoFile(join(dirname(file), use.path)),
    )
    const unknown = use.params.filter(
      (p) => !required.includes(p) && !optional.includes(p),
    )
    const missing = required.filter((p) => !use.params.includes(p))
    expect({ unknown, missing }).toEqual({ unknown: [], missing: [] })
  })

  it('reads only outputs its modules declare', () => {
    const outputs = new Map(
      uses.map((u) => [
        u.symbol,
        moduleOutputs(readRepoFile(join(dirname(file), u.path))),
      ]),
    )
    const refs = [...source.matchAll(/\b(\w+)\.outputs\.(\w+)/g)]
    expect(refs.length).toBeGreaterThan(0)
    for (const [ref, symbol, output] of refs) {
      expect(outputs.get(symbol!), ref).toContain(output)
    }
  })
})
