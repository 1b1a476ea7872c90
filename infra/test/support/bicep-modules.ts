import { blockAfter, stripComments } from './bicep-text.js'

/** Source with string literals blanked, so brackets in text don't count. */
function withoutStrings(code: string): string {
  return code.replace(/'(?:[^'\\]|\\.)*'/g, "''")
}

/** First unbalanced or mismatched bracket, or undefined when balanced. */
export function bracketProblem(source: string): string | undefined {
  const code = withoutStrings(stripComments(source))
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' }
  const stack: { ch: string; line: number }[] = []
  let line = 1
  for (const ch of code) {
    if (ch === '\n') line++
    else if ('([{'.includes(ch)) stack.push({ ch, line })
    else if (ch in pairs) {
      const open = stack.pop()
      if (open?.ch !== pairs[ch]) return `unexpected "${ch}" on line ${line}`
    }
  }
  const open = stack.pop()
  return open ? `"${open.ch}" on line ${open.line} never closes` : undefined
}

/** Keys of an object literal's own level, e.g. `{ a: 1, b: { c: 2 } }`. */
export function topLevelKeys(block: string): string[] {
  const code = withoutStrings(block)
  const keys: string[] = []
  let depth = 0
  for (let i = 0; i < code.length; i++) {
    const ch = code[i]!
    if ('([{'.includes(ch)) depth++
    else if (')]}'.includes(ch)) depth--
    if (depth !== 1 || !/[A-Za-z_]/.test(ch) || /\w/.test(code[i - 1]!)) {
      continue
    }

    // A key starts a line or follows `{` or `,`, and is followed by `:`.
    const gap = /\s*$/.exec(code.slice(0, i))![0]
    const before = code[i - gap.length - 1]
    const key = /^(\w+)\s*:/.exec(code.slice(i))
    if (key && (before === '{' || before === ',' || gap.includes('\n'))) {
      keys.push(key[1]!)
    }
  }
  return keys
}

/** A module declaration: symbol, relative path and the params passed. */
export interface ModuleUse {
  symbol: string
  path: string
  params: string[]
}

/** The `module x 'path' = { params: { … } }` declarations in a file. */
export function moduleUses(source: string): ModuleUse[] {
  const code = stripComments(source)
  const decl = /^module\s+(\w+)\s+'([^']+)'\s*=/gm
  return [...code.matchAll(decl)].map((m) => {
    const body = blockAfter(code.slice(m.index), 'params')
    return { symbol: m[1]!, path: m[2]!, params: topLevelKeys(body) }
  })
}

/** `param` names of a module, split by whether they have a default. */
export function moduleParams(source: string): {
  required: string[]
  optional: string[]
} {
  const code = stripComments(source)
  const required: string[] = []
  const optional: string[] = []
  for (const [, name, rest] of code.matchAll(/^param\s+(\w+)\s+([^\n]*)$/gm)) {
    ;(rest!.includes('=') ? optional : required).push(name!)
  }
  return { required, optional }
}

/** `output` names a module declares. */
export function moduleOutputs(source: string): string[] {
  const code = stripComments(source)
  return [...code.matchAll(/^output\s+(\w+)\s/gm)].map((m) => m[1]!)
}
