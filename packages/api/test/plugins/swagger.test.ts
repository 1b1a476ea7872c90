import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../helpers/test-app.js'

describe('GET /openapi.json', () => {
  let t: TestApp

  beforeEach(async () => {
    t = await createTestApp()
  })

  afterEach(async () => {
    await t.close()
  })

  it('lists every route with its responses', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/openapi.json' })

    expect(res.statusCode).toBe(200)
    const doc = res.json()
    expect(doc.openapi).toMatch(/^3\./)
    const operations = Object.entries(
      doc.paths as Record<string, Record<string, { responses: object }>>,
    ).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    )
    expect(operations.sort()).toEqual([
      'GET /health/live',
      'GET /health/ready',
      'GET /jobs/{id}/result',
      'GET /jobs/{id}/status',
      'HEAD /jobs/{id}/result',
      'POST /invoices',
    ])

    const submit = doc.paths['/invoices'].post
    expect(Object.keys(submit.responses).sort()).toEqual([
      '202',
      '400',
      '409',
      '413',
      '415',
      '503',
    ])
    expect(submit.responses['400'].content).toHaveProperty([
      'application/problem+json',
    ])
    expect(Object.keys(submit.responses['202'].headers)).toEqual([
      'location',
      'retry-after',
    ])
    const result = doc.paths['/jobs/{id}/result'].get
    expect(result.responses['206'].content).toHaveProperty(['application/pdf'])
  })

  it('serves the documentation page at /docs', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/docs/' })

    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/html/)
  })
})
