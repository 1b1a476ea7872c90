import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { validInvoice } from '../helpers/invoices.js'
import { createTestApp, type TestApp } from '../helpers/test-app.js'

describe('request ids', () => {
  let t: TestApp

  beforeEach(async () => {
    t = await createTestApp()
  })

  afterEach(async () => {
    await t.close()
  })

  const live = (headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url: '/health/live', headers })

  it('echoes a sane incoming x-request-id', async () => {
    const res = await live({ 'x-request-id': 'gw-7f3a.b2:9' })

    expect(res.headers['x-request-id']).toBe('gw-7f3a.b2:9')
  })

  it.each([
    ['spaces', 'two words'],
    ['a backslash', 'abc\\ninjected'],
    ['too many characters', 'x'.repeat(129)],
  ])('replaces an incoming id with %s by a UUID', async (_, id) => {
    const res = await live({ 'x-request-id': id })

    expect(res.headers['x-request-id']).not.toBe(id)
    expect(res.headers['x-request-id']).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    )
  })

  it('returns an id on errors and puts it in the problem', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/nowhere' })

    expect(res.statusCode).toBe(404)
    expect(res.json()).toMatchObject({
      code: 'not_found',
      requestId: res.headers['x-request-id'],
    })
  })

  it('logs one line per request with its id and no personal data', async () => {
    const invoice = validInvoice()
    const res = await t.app.inject({
      method: 'POST',
      url: '/invoices',
      payload: invoice,
      headers: { 'x-request-id': 'log-check-1' },
    })
    expect(res.statusCode).toBe(202)

    const lines = t.logs.filter((l) => l.requestId === 'log-check-1')
    expect(lines.find((l) => l.msg === 'request completed')).toMatchObject({
      method: 'POST',
      route: '/invoices',
      statusCode: 202,
    })
    const written = JSON.stringify(t.logs)
    expect(written).not.toContain(invoice.customer.email)
    expect(written).not.toContain(invoice.customer.name)
  })
})
