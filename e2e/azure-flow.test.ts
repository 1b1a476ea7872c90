import { BlobServiceClient } from '@azure/storage-blob'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  startAzureLocalStack,
  type AzureLocalStack,
} from '../packages/shared/test/support/azure-local-stack.js'
import { readPdfText } from '../packages/worker/test/support/read-pdf-text.js'
import { pollUntilFinal } from './support/client.js'
import { multilingualInvoice } from './support/invoices.js'
import { startServices, type Services } from './support/services.js'

const LOCK_DURATION_MS = 3_000

/** Figures printed at the end, for the record (not asserted). */
const figures: Record<string, number> = {}

async function submit(services: Services, lines: number, number: string) {
  const res = await fetch(`${services.baseUrl}/invoices`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(multilingualInvoice(lines, number)),
  })
  expect(res.status, await res.clone().text()).toBe(202)
  return `${services.baseUrl}${res.headers.get('location')}`
}

describe('the invoice flow on the Azure adapters', () => {
  let stack: AzureLocalStack
  let services: Services

  beforeAll(async () => {
    stack = await startAzureLocalStack({ lockDurationMs: LOCK_DURATION_MS })
    services = await startServices({
      ...stack.env,
      RELAY_INTERVAL_MS: '200',
      RELAY_AGE_MS: '500',
      RETRY_BASE_DELAY_MS: '100',
    })
  })

  afterAll(async () => {
    await services?.stop()
    await stack?.close()
    console.info('azure e2e figures', figures)
  })

  it('submits, polls and downloads a Greek and Cyrillic invoice', async () => {
    const number = `AZ-${Date.now()}`
    const statusUrl = await submit(services, 120, number)

    const { job } = await pollUntilFinal(statusUrl)
    const res = await fetch(`${services.baseUrl}${job.result?.href}`)
    const pdf = await readPdfText(new Uint8Array(await res.arrayBuffer()))

    expect(job.status).toBe('completed')
    expect(res.headers.get('content-disposition')).toContain(`${number}.pdf`)
    expect(pdf.text).toContain(number)
    expect(pdf.text).toContain('Анна Каренина')
    expect(pdf.text).toContain('Ελληνική Εταιρεία Λογισμικού')
  })

  it('completes every accepted job after the queue refused sends', async () => {
    stack.broker.refuseSends({ durationMs: 4_000 })
    const started = performance.now()

    const statusUrls: string[] = []
    for (let i = 0; i < 6; i += 1) {
      statusUrls.push(await submit(services, 3, `REFUSED-${Date.now()}-${i}`))
    }
    figures.refused_submit_ms = Math.round(performance.now() - started)
    const jobs = await Promise.all(statusUrls.map((u) => pollUntilFinal(u)))
    figures.refused_all_completed_ms = Math.round(performance.now() - started)

    expect(jobs.map(({ job }) => job.status)).toEqual(
      Array(6).fill('completed'),
    )
    expect(stack.broker.stats.sendsRefused).toBeGreaterThan(0)
  })

  it('completes a job once, with one blob, after the worker is killed mid-job', async () => {
    const number = `KILLED-${Date.now()}`
    const statusUrl = await submit(services, 1000, number)
    const jobId = statusUrl.split('/').at(-2) ?? ''

    await untilStatus(statusUrl, 'processing')
    const killedAt = performance.now()
    await services.worker.stop('SIGKILL')
    services.worker = await services.startWorker()

    const { job } = await pollUntilFinal(statusUrl)
    figures.killed_to_completed_ms = Math.round(performance.now() - killedAt)

    expect(job.status).toBe('completed')
    expect(job.attempts).toBe(2)
    expect(await blobsFor(stack, jobId)).toHaveLength(1)
  })
})

async function untilStatus(url: string, status: string): Promise<void> {
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    const job = (await (await fetch(url)).json()) as { status: string }
    if (job.status === status) return
    await new Promise((r) => setTimeout(r, 5))
  }
  throw new Error(`job never reached ${status}`)
}

async function blobsFor(stack: AzureLocalStack, jobId: string) {
  const container = BlobServiceClient.fromConnectionString(
    stack.azurite.connectionString,
  ).getContainerClient(stack.containerName)
  const names: string[] = []
  for await (const blob of container.listBlobsFlat()) {
    if (blob.name.includes(jobId)) names.push(blob.name)
  }
  return names
}
