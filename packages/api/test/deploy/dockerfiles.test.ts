import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../../../', import.meta.url))

/** Instructions with their continuation lines joined, comments dropped. */
async function instructions(service: string) {
  const text = await readFile(`${root}packages/${service}/Dockerfile`, 'utf8')
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((line) => line.trim() && !line.trimStart().startsWith('#'))
}

describe.each([
  ['api', 3000, 'PORT'],
  ['worker', 3001, 'HEALTH_PORT'],
] as const)('packages/%s/Dockerfile', (service, port, portVariable) => {
  it('builds on one pinned Node 22 image for both stages', async () => {
    const lines = await instructions(service)
    const arg = lines.find((l) => l.startsWith('ARG NODE_IMAGE='))
    const stages = lines.filter((l) => l.startsWith('FROM '))

    expect(arg).toMatch(/^ARG NODE_IMAGE=node:22\.\d+\.\d+-[a-z]+-slim$/)
    expect(stages).toEqual([
      'FROM ${NODE_IMAGE} AS build',
      'FROM ${NODE_IMAGE} AS runtime',
    ])
  })

  it('deploys only production dependencies of its own package', async () => {
    const lines = await instructions(service)

    expect(lines).toContain('RUN pnpm install --frozen-lockfile')
    expect(lines).toContain('RUN pnpm build')
    expect(lines).toContain(
      `RUN pnpm --filter @invoice-jobs/${service} deploy --legacy --prod /out`,
    )
  })

  it('runs node directly as the node user, stopped by SIGTERM', async () => {
    const lines = await instructions(service)
    const runtime = lines.slice(lines.indexOf('FROM ${NODE_IMAGE} AS runtime'))

    expect(runtime).toContain('USER node')
    expect(runtime).toContain('STOPSIGNAL SIGTERM')
    expect(runtime.at(-1)).toBe('CMD ["node", "dist/main.js"]')
  })

  it('probes its readiness route with node', async () => {
    const lines = await instructions(service)
    const probe = lines.find((l) => l.startsWith('HEALTHCHECK '))

    expect(probe).toContain('CMD ["node", "-e"')
    expect(probe).toContain(`process.env.${portVariable} || ${port}`)
    expect(probe).toContain('/health/ready')
  })
})
