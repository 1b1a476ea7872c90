import { testProject } from '../vitest.project.js'

export default testProject('e2e', {
  include: ['**/*.test.ts'],
  globalSetup: ['./support/build-once.ts'],
  testTimeout: 120_000,
  hookTimeout: 120_000,
})
