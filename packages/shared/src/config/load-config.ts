import { type Static, type TObject } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`)
    this.name = 'ConfigError'
  }
}

/**
 * Reads `env` against a schema whose keys are the variable names: fills
 * defaults, converts strings to numbers and booleans, and throws a
 * ConfigError that names every bad variable. Empty strings count as unset.
 */
export function loadConfig<T extends TObject>(
  schema: T,
  env: NodeJS.ProcessEnv = process.env,
): Static<T> {
  const raw: Record<string, unknown> = {}
  for (const key of Object.keys(schema.properties)) {
    const value = env[key]
    if (value !== undefined && value !== '') raw[key] = value
  }

  const converted = Value.Convert(schema, Value.Default(schema, raw))
  const problems = [...Value.Errors(schema, converted)].map((e) => {
    const name = e.path.replace(/^\//, '') || '(config)'
    return `${name}: ${e.message}${name in raw ? ` (got "${raw[name]}")` : ''}`
  })
  if (problems.length > 0) throw new ConfigError(problems)

  return converted as Static<T>
}
