import { execFile, spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'

/** Azurite's public development account (documented by Microsoft). */
export const DEV_ACCOUNT = 'devstoreaccount1'
export const DEV_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='

export interface Azurite {
  /** Connection string with the development key and the blob endpoint. */
  connectionString: string
  /** e.g. http://127.0.0.1:41234/devstoreaccount1 (https with OAuth) */
  accountUrl: string
  /** PEM of the self-signed certificate, with OAuth only. */
  certificate?: string
  /** Stops the emulator; safe to call twice. */
  close(): Promise<void>
}

const STARTUP_MS = 30_000
const STOP_MS = 5_000

export interface AzuriteOptions {
  /**
   * Accept bearer tokens, as Azure does for a managed identity. Azurite
   * then requires HTTPS: a throwaway self-signed certificate for
   * 127.0.0.1 is made with openssl. Azurite checks a token's issuer,
   * audience and lifetime, not its signature.
   */
  oauth?: boolean
}

/**
 * Starts Azurite's blob service in memory on a free loopback port and
 * resolves once it listens. Each call is its own emulator.
 */
export async function startAzurite(
  options: AzuriteOptions = {},
): Promise<Azurite> {
  const bin = await azuriteBlobBin()
  const cwd = await mkdtemp(join(tmpdir(), 'azurite-'))
  const args = [
    bin,
    '--blobHost=127.0.0.1',
    '--blobPort=0',
    '--inMemoryPersistence',
    '--extentMemoryLimit=256',
    '--skipApiVersionCheck',
    '--disableTelemetry',
    '--silent',
  ]
  let certificate: string | undefined
  if (options.oauth) {
    certificate = await selfSignedCertificate(cwd)
    args.push('--oauth=basic', '--cert=cert.pem', '--key=key.pem')
  }
  const child = spawn(process.execPath, args, {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  })

  let closed: Promise<void> | undefined
  const close = () => {
    closed ??= stop(child).finally(() =>
      rm(cwd, { recursive: true, force: true }),
    )
    return closed
  }

  try {
    const port = await listeningPort(child)
    const scheme = options.oauth ? 'https' : 'http'
    const accountUrl = `${scheme}://127.0.0.1:${port}/${DEV_ACCOUNT}`
    const connectionString =
      `DefaultEndpointsProtocol=${scheme};AccountName=${DEV_ACCOUNT};` +
      `AccountKey=${DEV_KEY};BlobEndpoint=${accountUrl};`
    return { connectionString, accountUrl, certificate, close }
  } catch (err) {
    await close()
    throw err
  }
}

/** Writes cert.pem and key.pem into `dir`; returns the certificate. */
async function selfSignedCertificate(dir: string) {
  await promisify(execFile)(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      'key.pem',
      '-out',
      'cert.pem',
    ],
    { cwd: dir },
  )
  return readFile(join(dir, 'cert.pem'), 'utf8')
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
