import { defineProject } from 'vitest/config'

export default defineProject({
  resolve: { conditions: ['source'] },
  test: {
    name: 'e2e',
    include: ['**/*.test.ts'],
    globalSetup: ['./support/build-once.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
})
