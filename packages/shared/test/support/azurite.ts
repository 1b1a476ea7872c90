import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

/** Azurite's public development account (documented by Microsoft). */
export const DEV_ACCOUNT = 'devstoreaccount1'
export const DEV_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='

export interface Azurite {
  /** Connection string with the development key and the blob endpoint. */
  connectionString: string
  /** e.g. http://127.0.0.1:41234/devstoreaccount1 */
  accountUrl: string
  /** Stops the emulator; safe to call twice. */
  close(): Promise<void>
}

const STARTUP_MS = 30_000
const STOP_MS = 5_000

/**
 * Starts Azurite's blob service in memory on a free loopback port and
 * resolves once it listens. Each call is its own emulator.
 */
export async function startAzurite(): Promise<Azurite> {
  const bin = await azuriteBlobBin()
  const cwd = await mkdtemp(join(tmpdir(), 'azurite-'))
  const child = spawn(
    process.execPath,
    [
      bin,
      '--blobHost=127.0.0.1',
      '--blobPort=0',
      '--inMemoryPersistence',
      '--extentMemoryLimit=256',
      '--skipApiVersionCheck',
      '--disableTelemetry',
      '--silent',
    ],
    { cwd, stdio: ['ignore', 'pipe', 'pipe'] },
  )

  let closed: Promise<void> | undefined
  const close = () => {
    closed ??= stop(child).finally(() =>
      rm(cwd, { recursive: true, force: true }),
    )
    return closed
  }

  try {
    const port = await listeningPort(child)
    const accountUrl = `http://127.0.0.1:${port}/${DEV_ACCOUNT}`
    const connectionString =
      `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};` +
      `AccountKey=${DEV_KEY};BlobEndpoint=${accountUrl};`
    return { connectionString, accountUrl, close }
  } catch (err) {
    await close()
    throw err
  }
}

async function azuriteBlobBin() {
  const require = createRequire(import.meta.url)
  const manifest = require.resolve('azurite/package.json')
  const pkg = JSON.parse(await readFile(manifest, 'utf8')) as {
    bin: Record<string, string>
  }
  const bin = pkg.bin['azurite-blob']
  if (!bin) throw new Error('the azurite package has no azurite-blob bin')
  return join(dirname(manifest), bin)
}

function listeningPort(child: ReturnType<typeof spawn>) {
  return new Promise<number>((resolve, reject) => {
    let output = ''
    const timer = setTimeout(
      () => fail(new Error(`Azurite did not start in ${STARTUP_MS} ms`)),
      STARTUP_MS,
    )

    function onData(chunk: Buffer) {
      output += chunk.toString()
      const port = output.match(/listens on https?:\/\/[^:\s]+:(\d+)/)?.[1]
      if (port) done(() => resolve(Number(port)))
    }
    function onExit(code: number | null) {
      fail(new Error(`Azurite exited (${code}) before listening:\n${output}`))
    }
    function fail(err: Error) {
      done(() => reject(err))
    }
    function done(settle: () => void) {
      clearTimeout(timer)
      child.stdout?.off('data', onData)
      child.stderr?.off('data', onData)
      child.off('exit', onExit)
      // Keep draining so a chatty emulator never blocks on a full pipe.
      child.stdout?.resume()
      child.stderr?.resume()
      settle()
    }

    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('exit', onExit)
  })
}

async function stop(child: ReturnType<typeof spawn>) {
  if (child.exitCode !== null || child.signalCode !== null) return

  const exited = new Promise<void>((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_MS)
  await exited
  clearTimeout(timer)
}
