import { afterEach, describe, expect, it } from 'vitest'
import { parseOrigins } from '../../src/plugins/cors.js'
import { createTestApp, type TestApp } from '../helpers/test-app.js'

describe('CORS', () => {
  let t: TestApp

  afterEach(async () => {
    await t.close()
  })

  const fromOrigin = (origin: string) =>
    t.app.inject({
      method: 'GET',
      url: '/health/live',
      headers: { origin },
    })

  it('allows no origin by default', async () => {
    t = await createTestApp()

    const res = await fromOrigin('https://app.example.test')

    expect(res.headers['access-control-allow-origin']).toBeUndefined()
  })

  it('allows a listed origin and exposes the headers clients need', async () => {
    t = await createTestApp({
      env: { CORS_ORIGINS: 'https://app.example.test, https://b.test' },
    })

    const res = await fromOrigin('https://app.example.test')

    expect(res.headers['access-control-allow-origin']).toBe(
      'https://app.example.test',
    )
    const exposed = String(res.headers['access-control-expose-headers'])
    for (const header of [
      'Location',
      'Retry-After',
      'ETag',
      'Content-Disposition',
      'x-request-id',
    ]) {
      expect(exposed).toContain(header)
    }
  })

  it('refuses an origin that is not listed', async () => {
    t = await createTestApp({
      env: { CORS_ORIGINS: 'https://app.example.test' },
    })

    const res = await fromOrigin('https://evil.example.test')

    expect(res.headers['access-control-allow-origin']).toBeUndefined()
  })

  it('answers a preflight for POST /invoices with an Idempotency-Key', async () => {
    t = await createTestApp({
      env: { CORS_ORIGINS: 'https://app.example.test' },
    })

    const res = await t.app.inject({
      method: 'OPTIONS',
      url: '/invoices',
      headers: {
        origin: 'https://app.example.test',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,idempotency-key',
      },
    })

    expect(res.statusCode).toBe(204)
    expect(String(res.headers['access-control-allow-headers'])).toMatch(
      /Idempotency-Key/i,
    )
  })
})

describe('parseOrigins', () => {
  it('splits on commas and drops blanks', () => {
    expect(parseOrigins(' https://a.test ,,https://b.test ')).toEqual([
      'https://a.test',
      'https://b.test',
    ])
    expect(parseOrigins('')).toEqual([])
  })
})
