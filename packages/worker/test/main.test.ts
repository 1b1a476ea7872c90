import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { createLogger } from '@invoice-jobs/shared'
import { createAdapters } from '@invoice-jobs/shared/adapters'
import { afterEach, describe, expect, it } from 'vitest'
import { loadWorkerConfig } from '../src/config.js'
import { queuedJob } from './support/invoice-jobs.js'

const packageDir = fileURLToPath(new URL('..', import.meta.url))

interface Run {
  child: ChildProcess
  lines: Record<string, unknown>[]
  stderr: string[]
  exited: Promise<number | null>
}

/** Starts `src/main.ts` as its own process, the way `pnpm dev` does. */
function runMain(env: Record<string, string>): Run {
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', 'src/main.ts'],
    { cwd: packageDir, env: { PATH: process.env.PATH, ...env } },
  )
  const lines: Record<string, unknown>[] = []
  const stderr: string[] = []
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      lines.push(JSON.parse(line) as Record<string, unknown>)
    } catch {
      stderr.push(line)
    }
  })
  createInterface({ input: child.stderr! }).on('line', (l) => stderr.push(l))
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => resolve(code)),
  )
  return { child, lines, stderr, exited }
}

describe('worker main', () => {
  let dataDir: string | undefined
  let run: Run | undefined

  afterEach(async () => {
    if (run && run.child.exitCode === null) run.child.kill('SIGKILL')
    await run?.exited
    if (dataDir) await rm(dataDir, { recursive: true, force: true })
    run = dataDir = undefined
  })

  it('exits with 1 and names the variable when the config is bad', async () => {
    run = runMain({ WORKER_CONCURRENCY: 'many' })

    expect(await run.exited).toBe(1)
    expect(run.stderr.join('\n')).toContain('WORKER_CONCURRENCY')
  })

  it('exits with 1 and names the variable when adapter settings clash', async () => {
    run = runMain({ JOB_QUEUE: 'servicebus' })

    expect(await run.exited).toBe(1)
    const stderr = run.stderr.join('\n')
    expect(stderr).toContain('SERVICEBUS_NAMESPACE')
    expect(stderr).not.toMatch(/^\s+at /m)
  })

  it('processes jobs, reports ready, and drains on SIGTERM', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'worker-main-'))
    const env = {
      DATA_DIR: dataDir,
      HEALTH_HOST: '127.0.0.1',
      HEALTH_PORT: '0',
      LOCK_DURATION_MS: '5000',
    }
    run = runMain(env)
    const current = run
    await expect
      .poll(() => current.lines.find((l) => l.msg === 'worker started'), {
        timeout: 20_000,
      })
      .toBeDefined()
    const port = current.lines.find(
      (l) => l.msg === 'health server listening',
    )?.port
    const ready = await fetch(`http://127.0.0.1:${port}/health/ready`)
    expect(ready.status).toBe(200)

    const logger = createLogger({ level: 'silent', pretty: false, name: 't' })
    const adapters = await createAdapters(loadWorkerConfig(env), {
      logger,
      role: 'api',
    })
    try {
      const job = queuedJob()
      await adapters.store.create(job, { jobId: job.id, type: 'invoice' })
      await expect
        .poll(async () => (await adapters.store.get(job.id))?.status, {
          timeout: 15_000,
        })
        .toBe('completed')
    } finally {
      await adapters.close()
    }

    current.child.kill('SIGTERM')
    expect(await current.exited).toBe(0)
    expect(current.lines.map((l) => l.msg)).toContain('shutdown complete')
  })
})
