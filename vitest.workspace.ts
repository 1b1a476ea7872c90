import { defineWorkspace } from 'vitest/config'

/** One test project per package; each reads its own vitest.config.ts. */
export default defineWorkspace(['packages/*'])
