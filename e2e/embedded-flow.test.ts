import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readPdfText } from '../packages/worker/test/support/read-pdf-text.js'
import { pollUntilFinal } from './support/client.js'
import {
  expectedGrandTotalCents,
  multilingualInvoice,
} from './support/invoices.js'
import {
  freePort,
  startNode,
  waitForOk,
  type RunningProcess,
} from './support/processes.js'

describe('the invoice flow on the embedded default (pnpm start)', () => {
  let dataDir: string
  let system: RunningProcess
  let baseUrl: string

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'e2e-embedded-'))
    const port = await freePort()
    baseUrl = `http://127.0.0.1:${port}`
    system = startNode(['scripts/start.mjs'], {
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      HEALTH_PORT: String(await freePort()),
      HEALTH_HOST: '127.0.0.1',
    })
    await waitForOk(`${baseUrl}/health/ready`, 30_000, system.output)
  })

  afterAll(async () => {
    const code = await system?.stop('SIGTERM')
    await rm(dataDir, { recursive: true, force: true })
    expect(code).toBe(0)
  })

  it('turns a 120-line Greek and Cyrillic invoice into a PDF', async () => {
    const invoiceNumber = `E2E-${Date.now()}`
    const submitted = await fetch(`${baseUrl}/invoices`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(multilingualInvoice(120, invoiceNumber)),
    })
    expect(submitted.status).toBe(202)
    const location = submitted.headers.get('location')
    expect(location).toMatch(/^\/jobs\/[0-9a-f-]{36}\/status$/)
    expect(Number(submitted.headers.get('retry-after'))).toBeGreaterThan(0)

    const { job } = await pollUntilFinal(`${baseUrl}${location}`)
    expect(job.status, JSON.stringify(job)).toBe('completed')
    expect(job.result?.href).toBe(`/jobs/${job.id}/result`)

    const download = await fetch(`${baseUrl}${job.result?.href}`)
    expect(download.status).toBe(200)
    expect(download.headers.get('content-type')).toBe('application/pdf')
    expect(download.headers.get('content-disposition')).toContain(
      `${invoiceNumber}.pdf`,
    )
    expect(download.headers.get('etag')).toBeTruthy()
    const bytes = new Uint8Array(await download.arrayBuffer())
    expect(bytes.byteLength).toBe(job.result?.size)

    const pdf = await readPdfText(bytes)
    const cents = expectedGrandTotalCents(120)
    const total = `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`
    expect(pdf.text).toContain(invoiceNumber)
    expect(pdf.text).toContain('Ελληνική Εταιρεία Λογισμικού')
    expect(pdf.text).toContain('Анна Каренина')
    expect(pdf.text.replace(/[\s,]/g, '')).toContain(total)
    expect(pdf.pageCount).toBeGreaterThan(1)
    expect(pdf.text).toContain(`Page ${pdf.pageCount} of ${pdf.pageCount}`)
  })
})
