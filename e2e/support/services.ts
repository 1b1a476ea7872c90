import {
  freePort,
  startNode,
  waitForOk,
  type RunningProcess,
} from './processes.js'

export interface Services {
  baseUrl: string
  api: RunningProcess
  worker: RunningProcess
  /** Starts another worker with the same settings (after a crash). */
  startWorker(): Promise<RunningProcess>
  stop(): Promise<void>
}

/**
 * Starts the compiled API and worker as separate processes, as two
 * containers would run, with `env` on top of local defaults; resolves
 * once both answer their readiness routes.
 */
export async function startServices(
  env: Record<string, string>,
): Promise<Services> {
  const port = await freePort()
  const baseUrl = `http://127.0.0.1:${port}`
  const api = startNode(['packages/api/dist/main.js'], {
    ...env,
    HOST: '127.0.0.1',
    PORT: String(port),
  })

  const startWorker = async () => {
    const healthPort = await freePort()
    const worker = startNode(['packages/worker/dist/main.js'], {
      ...env,
      HEALTH_HOST: '127.0.0.1',
      HEALTH_PORT: String(healthPort),
    })
    const ready = `http://127.0.0.1:${healthPort}/health/ready`
    await waitForOk(ready, 30_000, worker.output)
    return worker
  }

  // The worker ensures the blob container; the API is ready after that.
  const worker = await startWorker()
  await waitForOk(`${baseUrl}/health/ready`, 30_000, api.output)
  const services: Services = {
    baseUrl,
    api,
    worker,
    startWorker,
    async stop() {
      await Promise.all([services.api.stop(), services.worker.stop()])
    },
  }
  return services
}
