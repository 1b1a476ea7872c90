import {
  defineProject,
  type TestProjectInlineConfiguration,
} from 'vitest/config'

// Tests run the TypeScript sources of every workspace package through the
// `source` export condition, never a stale dist/. Vitest runs code on
// Vite's SSR side, which takes its own list of conditions.
const conditions = ['source']

/** One test project's config, with the settings every project shares. */
export function testProject(
  name: string,
  test: TestProjectInlineConfiguration['test'] = {},
) {
  return defineProject({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: conditions } },
    test: {
      name,
      include: ['test/**/*.test.ts'],
      testTimeout: 30_000,
      hookTimeout: 60_000,
      ...test,
    },
  })
}
