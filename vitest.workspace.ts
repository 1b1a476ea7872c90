/**
 * The test projects: one per package, the end-to-end tests that run the
 * services as processes, and the deployment checks. Each reads its own
 * vitest.config.ts. The root config hands this list to Vitest.
 */
export default ['packages/*', 'e2e', 'infra']
