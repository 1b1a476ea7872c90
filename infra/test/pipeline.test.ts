import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { readRepoFile, repoRoot } from './support/bicep-text.js'

interface Step {
  uses?: string
  run?: string
  with?: Record<string, unknown>
}
interface Job {
  uses?: string
  permissions?: Record<string, string>
  steps?: Step[]
  env?: Record<string, string>
}
interface Workflow {
  on: Record<string, unknown>
  permissions?: Record<string, string>
  jobs: Record<string, Job>
}

const workflow = (name: string) =>
  parse(readRepoFile(`.github/workflows/${name}`)) as Workflow
const ci = workflow('ci.yml')
const deploy = workflow('deploy.yml')

/** `uses:` references not pinned to a full commit SHA. */
function unpinned(wf: Workflow): string[] {
  return Object.values(wf.jobs)
    .flatMap((job) => job.steps ?? [])
    .map((step) => step.uses)
    .filter((uses): uses is string => !!uses && !uses.startsWith('./'))
    .filter((uses) => !/@[0-9a-f]{40}$/.test(uses))
}

describe('unpinned', () => {
  it('flags a tag and accepts a commit SHA', () => {
    const wf = {
      on: {},
      jobs: {
        a: {
          steps: [
            { uses: 'actions/checkout@v4' },
            { uses: `actions/setup-node@${'a'.repeat(40)}` },
          ],
        },
      },
    }
    expect(unpinned(wf)).toEqual(['actions/checkout@v4'])
  })
})

describe('ci.yml', () => {
  it('runs .ci/run on Node 20 and 22 with a read-only token', () => {
    expect(ci.permissions).toEqual({ contents: 'read' })
    const job = Object.values(ci.jobs)[0] as Job & {
      strategy: { matrix: { node: number[] } }
    }
    expect(job.strategy.matrix.node).toEqual([20, 22])
    expect(job.steps?.some((s) => s.run === 'bash .ci/run')).toBe(true)
    expect(ci.on).toHaveProperty('pull_request')
  })

  it('pins every action to a commit', () => {
    expect(unpinned(ci)).toEqual([])
  })
})

describe('deploy.yml', () => {
  const job = deploy.jobs.deploy!
  const steps = job.steps ?? []
  const text = readRepoFile('.github/workflows/deploy.yml')

  it('runs on pushes to main and by hand', () => {
    expect(deploy.on).toHaveProperty('workflow_dispatch')
    expect(deploy.on.push).toEqual({ branches: ['main'] })
  })

  it('asks only for an OIDC token and read access', () => {
    expect(deploy.permissions).toEqual({
      'id-token': 'write',
      contents: 'read',
    })
    expect(deploy.jobs.checks?.permissions).toEqual({ contents: 'read' })
  })

  it('signs in with federated credentials from repository variables', () => {
    const login = steps.find((s) => s.uses?.startsWith('azure/login@'))
    expect(login?.with).toEqual({
      'client-id': '${{ vars.AZURE_CLIENT_ID }}',
      'tenant-id': '${{ vars.AZURE_TENANT_ID }}',
      'subscription-id': '${{ vars.AZURE_SUBSCRIPTION_ID }}',
    })
    expect(text).not.toMatch(/client-secret|creds:|secrets\./)
    const azdLogin = steps.find((s) => s.run?.includes('azd auth login'))
    expect(azdLogin?.run).toMatch(/--federated-credential-provider github/)
  })

  it('provisions, then deploys, after the checks pass', () => {
    const runs = steps.map((s) => s.run ?? '')
    const provision = runs.findIndex((r) => r.startsWith('azd provision'))
    const deployAt = runs.findIndex((r) => r.startsWith('azd deploy'))
    expect(provision).toBeGreaterThan(-1)
    expect(deployAt).toBeGreaterThan(provision)
    expect(deploy.jobs.checks?.uses).toBe('./.github/workflows/ci.yml')
    expect((job as { needs?: string }).needs).toBe('checks')
  })

  it('pins every action to a commit and azd to a version', () => {
    expect(unpinned(deploy)).toEqual([])
    expect(job.env?.AZD_VERSION).toMatch(/^\d+\.\d+\.\d+$/)
  })
})

describe('azure.yaml', () => {
  const azure = parse(readRepoFile('azure.yaml')) as {
    infra: { provider: string; path: string }
    services: Record<
      string,
      {
        project: string
        host: string
        docker: { path: string; context: string; remoteBuild?: boolean }
      }
    >
  }

  it('declares the api and worker as container apps', () => {
    expect(Object.keys(azure.services).sort()).toEqual(['api', 'worker'])
    for (const service of Object.values(azure.services)) {
      expect(service.host).toBe('containerapp')
    }
    expect(azure.infra).toMatchObject({ provider: 'bicep', path: 'infra' })
  })

  it.each(['api', 'worker'])(
    'builds %s from its Dockerfile with the repository root as context',
    (name) => {
      const service = azure.services[name]!
      const project = join(repoRoot, service.project)
      const dockerfile = resolve(project, service.docker.path)
      expect(dockerfile).toBe(join(repoRoot, `packages/${name}/Dockerfile`))
      expect(resolve(project, service.docker.context) + '/').toBe(repoRoot)
      expect(existsSync(dockerfile), `${dockerfile} exists`).toBe(true)
    },
  )

  it('matches the azd-service-name tags in the Bicep', () => {
    for (const name of Object.keys(azure.services)) {
      const bicep = readRepoFile(`infra/modules/${name}-app.bicep`)
      expect(bicep).toContain(`'azd-service-name': '${name}'`)
    }
  })
})

describe('main.parameters.json', () => {
  const params = JSON.parse(readRepoFile('infra/main.parameters.json')) as {
    parameters: Record<string, { value: unknown }>
  }
  const main = readRepoFile('infra/main.bicep')

  it('fills name and region from the azd environment', () => {
    expect(params.parameters.environmentName?.value).toBe('${AZURE_ENV_NAME}')
    expect(params.parameters.location?.value).toBe('${AZURE_LOCATION}')
  })

  it('names only parameters main.bicep declares', () => {
    for (const name of Object.keys(params.parameters)) {
      expect(main).toMatch(new RegExp(`^param ${name} `, 'm'))
    }
  })

  it('gives azd the outputs it needs', () => {
    for (const output of [
      'AZURE_CONTAINER_REGISTRY_ENDPOINT',
      'AZURE_RESOURCE_GROUP',
      'SERVICE_API_URI',
    ]) {
      expect(main).toMatch(new RegExp(`^output ${output} string`, 'm'))
    }
  })
})
