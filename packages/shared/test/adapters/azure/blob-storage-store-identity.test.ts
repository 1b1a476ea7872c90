import { randomUUID } from 'node:crypto'
import { text } from 'node:stream/consumers'
import { setTimeout as sleep } from 'node:timers/promises'
import type { AccessToken, TokenCredential } from '@azure/identity'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAzureBlobStore } from '../../../src/adapters/azure/blob-storage-store.js'
import { createLogger } from '../../../src/logging/create-logger.js'
import type { BlobStore } from '../../../src/ports/blob-store.js'
import { startAzurite, type Azurite } from '../../support/azurite.js'

const logger = createLogger({ level: 'silent', pretty: false, name: 'test' })

/**
 * Hands out Entra-shaped bearer tokens, as a managed identity would.
 * Azurite checks issuer, audience and lifetime (iat, nbf, exp) but not
 * the signature.
 */
class TestIdentity implements TokenCredential {
  requests = 0
  readonly objectId = randomUUID()
  readonly tenantId = randomUUID()

  async getToken(): Promise<AccessToken> {
    this.requests += 1
    const now = Math.floor(Date.now() / 1000)
    const encode = (part: object) =>
      Buffer.from(JSON.stringify(part)).toString('base64url')
    const claims = {
      aud: 'https://storage.azure.com',
      iss: `https://sts.windows.net/${this.tenantId}/`,
      oid: this.objectId,
      tid: this.tenantId,
      iat: now - 60,
      nbf: now - 60,
      exp: now + 3600,
    }
    const token = `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode(claims)}.unsigned`
    return { token, expiresOnTimestamp: (now + 3600) * 1000 }
  }
}

describe('createAzureBlobStore with a managed identity (Azurite, OAuth)', () => {
  let azurite: Azurite
  let identity: TestIdentity
  let store: BlobStore
  let tlsSetting: string | undefined

  beforeAll(async () => {
    // Azurite takes bearer tokens only over HTTPS, here with a throwaway
    // self-signed certificate that this test process alone must accept.
    tlsSetting = process.env.NODE_TLS_REJECT_UNAUTHORIZED
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'
    azurite = await startAzurite({ oauth: true })
    identity = new TestIdentity()
    store = await createAzureBlobStore({
      accountUrl: azurite.accountUrl,
      credential: identity,
      // Azurite 3.35 verifies user-delegation signatures up to this version.
      sasVersion: '2025-11-05',
      containerName: `identity-${randomUUID()}`,
      ensureContainer: true,
      logger,
    })
  })

  afterAll(async () => {
    await store?.close()
    await azurite?.close()
    if (tlsSetting === undefined)
      delete process.env.NODE_TLS_REJECT_UNAUTHORIZED
    else process.env.NODE_TLS_REJECT_UNAUTHORIZED = tlsSetting
  })

  it('ensures the container and round-trips a blob with a token', async () => {
    const blob = `${randomUUID()}.pdf`

    await store.put(blob, Buffer.from('%PDF-identity'), {
      contentType: 'application/pdf',
    })
    const read = await store.get(blob)

    expect(identity.requests).toBeGreaterThan(0)
    await expect(store.check()).resolves.toBeUndefined()
    expect(await text(read!.stream)).toBe('%PDF-identity')
  })

  it('signs a read-only user-delegation SAS for HTTPS only', async () => {
    const blob = `${randomUUID()}.pdf`
    await store.put(blob, Buffer.from('%PDF-delegated'), {
      contentType: 'application/pdf',
    })

    const url = new URL(
      await store.signedUrl!(blob, {
        expiresInSeconds: 60,
        fileName: 'INV-7.pdf',
        contentType: 'application/pdf',
      }),
    )
    const response = await fetch(url)

    expect(url.searchParams.get('skoid')).toBe(identity.objectId)
    expect(url.searchParams.get('sp')).toBe('r')
    expect(url.searchParams.get('spr')).toBe('https')
    expect(url.searchParams.get('sr')).toBe('b')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-disposition')).toContain(
      'filename="INV-7.pdf"',
    )
    expect(await response.text()).toBe('%PDF-delegated')
  })

  it('reuses one delegation key for many URLs', async () => {
    const blob = `${randomUUID()}.pdf`
    await store.put(blob, Buffer.from('x'), { contentType: 'text/plain' })
    const options = {
      expiresInSeconds: 120,
      fileName: 'x.txt',
      contentType: 'text/plain',
    }

    const first = new URL(await store.signedUrl!(blob, options))
    const second = new URL(await store.signedUrl!(blob, options))

    expect(second.searchParams.get('skt')).toBe(first.searchParams.get('skt'))
    expect(second.searchParams.get('ske')).toBe(first.searchParams.get('ske'))
  })

  it('refuses a delegated URL once it expires', async () => {
    const blob = `${randomUUID()}.txt`
    await store.put(blob, Buffer.from('brief'), { contentType: 'text/plain' })
    const url = await store.signedUrl!(blob, {
      expiresInSeconds: 3,
      fileName: 'brief.txt',
      contentType: 'text/plain',
    })

    const before = await fetch(url)
    await before.arrayBuffer()
    // The SAS expiry is cut to whole seconds, so it lapses 2-3 s from now.
    await sleep(3_100)
    const after = await fetch(url)

    expect(before.status).toBe(200)
    expect(after.status).toBe(403)
  })
})
