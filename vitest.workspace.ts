import { defineWorkspace } from 'vitest/config'

/**
 * One test project per package, plus the end-to-end tests that run the
 * services as processes; each reads its own vitest.config.ts.
 */
export default defineWorkspace(['packages/*', 'e2e', 'infra'])
