import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root, whatever the working directory. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))

/** Reads a file given relative to the repository root. */
export function readRepoFile(path: string): string {
  return readFileSync(join(repoRoot, path), 'utf8')
}

/**
 * Removes `//` and `/* *\/` comments from Bicep source, leaving string
 * literals (single-quoted, `\'` escapes) untouched, so a commented-out
 * line never counts as configuration.
 */
export function stripComments(source: string): string {
  let out = ''
  let i = 0
  while (i < source.length) {
    const ch = source[i]!
    const next = source[i + 1]
    if (ch === "'") {
      const end = endOfString(source, i)
      out += source.slice(i, end)
      i = end
    } else if (ch === '/' && next === '/') {
      while (i < source.length && source[i] !== '\n') i++
    } else if (ch === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2)
      i = end === -1 ? source.length : end + 2
    } else {
      out += ch
      i++
    }
  }
  return out
}

function endOfString(source: string, start: number): number {
  let i = start + 1
  while (i < source.length) {
    if (source[i] === '\\') i += 2
    else if (source[i] === "'") return i + 1
    else i++
  }
  throw new Error(`unterminated string at offset ${start}`)
}

/**
 * The balanced `[...]` or `{...}` that follows the first `key:` at or
 * after `from`; throws when there is none, so a renamed key fails loudly.
 */
export function blockAfter(source: string, key: string, from = 0): string {
  const match = new RegExp(`\\b${key}\\s*:\\s*([\\[{])`, 'g')
  match.lastIndex = from
  const found = match.exec(source)
  if (!found) throw new Error(`no "${key}:" block found`)

  const open = found.index + found[0].length - 1
  const close = { '[': ']', '{': '}' }[found[1] as '[' | '{']
  let depth = 0
  for (let i = open; i < source.length; i++) {
    const ch = source[i]
    if (ch === "'") i = endOfString(source, i) - 1
    else if (ch === found[1]) depth++
    else if (ch === close && --depth === 0) return source.slice(open, i + 1)
  }
  throw new Error(`unbalanced "${key}:" block`)
}

/** One `{ name: 'X', value: ... }` or `{ name: 'X', secretRef: ... }`. */
export interface EnvEntry {
  name: string
  kind: 'value' | 'secretRef'
  /** The Bicep expression, e.g. `'mongodb'` or `string(port)`. */
  expression: string
}

/** The container's `env: [...]` entries, in order. */
export function envEntries(source: string): EnvEntry[] {
  const block = blockAfter(stripComments(source), 'env')
  const entry =
    /\{\s*name:\s*'([^']+)'\s*,\s*(value|secretRef):\s*([^}]+?)\s*\}/g
  const entries = [...block.matchAll(entry)].map((m) => ({
    name: m[1]!,
    kind: m[2] as EnvEntry['kind'],
    expression: m[3]!,
  }))
  const declared = (block.match(/\bname:/g) ?? []).length
  if (entries.length !== declared) {
    throw new Error(`parsed ${entries.length} of ${declared} env entries`)
  }
  return entries
}

/** `param x int = 5` / `var x = 5` / `param y string = 'a'` values. */
export function declaredValues(source: string): Map<string, string | number> {
  const values = new Map<string, string | number>()
  const line = /^(?:param|var)\s+(\w+)(?:\s+\w+)?\s*=\s*(.+?)\s*$/gm
  for (const [, name, raw] of stripComments(source).matchAll(line)) {
    const literal = parseLiteral(raw!)
    if (literal !== undefined) values.set(name!, literal)
  }
  return values
}

/** A Bicep int or single-quoted string without interpolation. */
export function parseLiteral(raw: string): string | number | undefined {
  if (/^-?\d+$/.test(raw)) return Number(raw)
  const quoted = /^'((?:[^'\\$]|\\.)*)'$/.exec(raw)
  return quoted ? quoted[1] : undefined
}

/**
 * Evaluates the env expressions a test can know without Azure: literals,
 * and `name` or `string(name)` of a param or var with a literal default.
 * Anything else (resource outputs) becomes `fallback(name)`.
 */
export function resolveEnv(
  source: string,
  fallback: (name: string) => string,
): Record<string, string> {
  const values = declaredValues(source)
  const env: Record<string, string> = {}
  for (const { name, kind, expression } of envEntries(source)) {
    const ref = /^(?:string\((\w+)\)|(\w+))$/
      .exec(expression)
      ?.slice(1)
      .find(Boolean)
    const literal = parseLiteral(expression)
    if (kind === 'value' && literal !== undefined) env[name] = String(literal)
    else if (ref !== undefined && values.has(ref)) {
      env[name] = String(values.get(ref))
    } else env[name] = fallback(name)
  }
  return env
}
