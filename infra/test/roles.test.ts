import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  blockAfter,
  readRepoFile,
  repoRoot,
  stripComments,
} from './support/bicep-text.js'

/** Built-in Azure role definition GUIDs this deployment may use. */
const knownRoles: Record<string, string> = {
  '7f951dda-4ed3-4680-a7ca-43fe172d538d': 'AcrPull',
  '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39': 'Azure Service Bus Data Sender',
  '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0': 'Azure Service Bus Data Receiver',
  '090c5cfd-751d-490a-894a-3ce6f1109419': 'Azure Service Bus Data Owner',
  '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1': 'Storage Blob Data Reader',
  'ba92f5b4-2d11-453d-a403-e96b0029c9fe': 'Storage Blob Data Contributor',
  'db58b8e5-c6ad-4a2a-8342-4190687cbf4a': 'Storage Blob Delegator',
  '4633458b-17de-408a-b874-0445c86b69e6': 'Key Vault Secrets User',
}

const guid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi

/**
 * Problems with the role GUIDs in one Bicep file: unknown GUIDs, and
 * GUIDs whose line does not name their role in a comment.
 */
function roleProblems(source: string): string[] {
  const problems: string[] = []
  source.split('\n').forEach((line, i) => {
    for (const [id] of line.matchAll(guid)) {
      const role = knownRoles[id.toLowerCase()]
      const comment = line.slice(line.indexOf('//') + 2).trim()
      if (!role) problems.push(`line ${i + 1}: unknown role ${id}`)
      else if (!line.includes('//') || comment !== role) {
        problems.push(`line ${i + 1}: ${id} lacks the comment "${role}"`)
      }
    }
  })
  return problems
}

const bicepFiles = [
  'infra/main.bicep',
  ...readdirSync(join(repoRoot, 'infra/modules')).map(
    (f) => `infra/modules/${f}`,
  ),
].filter((f) => f.endsWith('.bicep'))

describe('roleProblems', () => {
  it('flags an unknown GUID and a GUID without its role name', () => {
    const bad = [
      "owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635' // Owner",
      "pull: '7f951dda-4ed3-4680-a7ca-43fe172d538d'",
      "pull: '7f951dda-4ed3-4680-a7ca-43fe172d538d' // Storage Blob Data Reader",
    ].join('\n')
    expect(roleProblems(bad)).toHaveLength(3)
  })

  it('accepts a known GUID that names its role', () => {
    const good = "pull: '7f951dda-4ed3-4680-a7ca-43fe172d538d' // AcrPull"
    expect(roleProblems(good)).toEqual([])
  })
})

describe('the role assignments', () => {
  const roleIds = readRepoFile('infra/modules/role-ids.bicep')
  const shortNames = new Map(
    [...roleIds.matchAll(/^\s*(\w+):\s*'([0-9a-f-]{36})'/gm)].map(
      ([, name, id]) => [name!, knownRoles[id!]],
    ),
  )

  it('use only known built-in roles, each named in a comment', () => {
    const problems = bicepFiles.flatMap((f) =>
      roleProblems(readRepoFile(f)).map((p) => `${f} ${p}`),
    )
    expect(problems).toEqual([])
    expect(shortNames.size).toBe(Object.keys(knownRoles).length)
  })

  it.each(bicepFiles)(
    '%s names the role beside each roleIds reference',
    (file) => {
      const source = readRepoFile(file)
      const refs = [...source.matchAll(/roleIds\.(\w+)\s*(?:\/\/\s*(.+))?$/gm)]
      const assignments = source.match(/roleDefinitionId:/g) ?? []
      expect(refs.length).toBe(assignments.length)
      for (const [, short, comment] of refs) {
        expect(shortNames.has(short!), short).toBe(true)
        expect(comment?.trim(), short).toBe(shortNames.get(short!))
      }
    },
  )
})

describe('who gets which role (main.bicep)', () => {
  const main = stripComments(readRepoFile('infra/main.bicep'))
  const paramOf = (module: string, param: string) =>
    blockAfter(
      blockAfter(main.slice(main.indexOf(`module ${module} `)), 'params'),
      param,
    )

  it.each([
    ['serviceBus', 'senderPrincipalIds', ['apiIdentity']],
    ['serviceBus', 'receiverPrincipalIds', ['workerIdentity']],
    ['serviceBus', 'ownerPrincipalIds', ['scalerIdentity']],
    ['storage', 'readerPrincipalIds', ['apiIdentity']],
    ['storage', 'contributorPrincipalIds', ['workerIdentity']],
    ['registry', 'pullerPrincipalIds', ['apiIdentity', 'workerIdentity']],
    ['keyVault', 'secretsUserPrincipalIds', ['apiIdentity', 'workerIdentity']],
  ])('%s.%s goes to %j only', (module, param, identities) => {
    const granted = [
      ...paramOf(module, param).matchAll(/(\w+)\.outputs\.principalId/g),
    ].map((m) => m[1])
    expect(granted.sort()).toEqual([...identities].sort())
  })

  it('grants Storage Blob Delegator to the API only in redirect mode', () => {
    expect(main).toMatch(
      /delegatorPrincipalIds:\s*redirect\s*\?\s*\[apiIdentity\.outputs\.principalId\]\s*:\s*\[\]/,
    )
    expect(main).toMatch(/var redirect = resultDelivery == 'redirect'/)
  })

  it('lets the worker scale rule, not the worker code, hold Data Owner', () => {
    const worker = stripComments(readRepoFile('infra/modules/worker-app.bicep'))
    expect(blockAfter(worker, 'custom')).toMatch(/identity:\s*scalerIdentityId/)
    expect(main).toMatch(
      /identityClientId:\s*workerIdentity\.outputs\.clientId/,
    )
  })
})
