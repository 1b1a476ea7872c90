/**
 * The whole flow on the embedded default, with the API and the worker as
 * separate processes (compiled, as `pnpm start` runs them): how long one
 * request takes to answer 202, how long an idle system takes from submit
 * to `completed` for a fresh 5-line invoice, and how many jobs a burst
 * completes per second.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import buildOnce from '../e2e/support/build-once.js'
import { freePort, startNode, waitForOk } from '../e2e/support/processes.js'
import { percentile, round } from './stats.js'

const invoice = (n: number) => ({
  currency: 'EUR',
  issueDate: '2026-12-01',
  dueDate: '2026-12-31',
  seller: { name: 'Bench Seller', addressLines: ['1 Main St'] },
  customer: { name: `Customer ${n}`, email: 'bench@example.com' },
  items: Array.from({ length: 5 }, (_, i) => ({
    description: `Line ${i + 1}`,
    quantity: 1,
    unitPrice: '10.00',
    taxRate: 20,
  })),
})

async function submit(baseUrl: string, n: number): Promise<string> {
  const res = await fetch(`${baseUrl}/invoices`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(invoice(n)),
  })
  if (res.status !== 202) throw new Error(`submit answered ${res.status}`)
  return res.headers.get('location') ?? ''
}

/** Polls every 2 ms, ignoring Retry-After, to see when the job finished. */
async function untilCompleted(url: string): Promise<void> {
  for (;;) {
    const res = await fetch(url)
    const job = (await res.json()) as { status: string }
    if (job.status === 'completed') return
    if (job.status === 'failed') throw new Error(`job failed: ${url}`)
    await new Promise((r) => setTimeout(r, 2))
  }
}

export async function benchEmbeddedFlow(): Promise<Record<string, number>> {
  buildOnce()
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-flow-'))
  const port = await freePort()
  const baseUrl = `http://127.0.0.1:${port}`
  const system = startNode(['scripts/start.mjs'], {
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    HEALTH_PORT: String(await freePort()),
    HEALTH_HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
  })

  try {
    await waitForOk(`${baseUrl}/health/ready`, 30_000, system.output)
    for (let i = 0; i < 5; i += 1)
      await untilCompleted(baseUrl + (await submit(baseUrl, i)))

    const submitMs: number[] = []
    const completedMs: number[] = []
    for (let i = 0; i < 30; i += 1) {
      const start = performance.now()
      const location = await submit(baseUrl, i)
      submitMs.push(performance.now() - start)
      await untilCompleted(baseUrl + location)
      completedMs.push(performance.now() - start)
      // Idle again before the next one: the worker must wake, not poll.
      await new Promise((r) => setTimeout(r, 50))
    }

    const burst = 200
    const start = performance.now()
    const locations = await Promise.all(
      Array.from({ length: burst }, (_, i) => submit(baseUrl, i)),
    )
    await Promise.all(locations.map((l) => untilCompleted(baseUrl + l)))
    const burstSeconds = (performance.now() - start) / 1000

    return {
      submit_p50_ms: round(percentile(submitMs, 50)),
      submit_p95_ms: round(percentile(submitMs, 95)),
      idle_submit_to_completed_p50_ms: round(percentile(completedMs, 50)),
      idle_submit_to_completed_p95_ms: round(percentile(completedMs, 95)),
      burst_jobs_per_second: round(burst / burstSeconds),
    }
  } finally {
    await system.stop('SIGTERM')
    await rm(dataDir, { recursive: true, force: true })
  }
}
