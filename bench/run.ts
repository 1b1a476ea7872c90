/**
 * `pnpm bench`: runs every benchmark, prints the figures with ratios to a
 * CPU baseline (steadier across machines and noisy neighbours), and writes
 * them to bench/results/<time>.json and latest.json. When an earlier
 * latest.json exists, it also prints each ratio's change against it.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { cpus } from 'node:os'
import { join } from 'node:path'
import { calibrate } from './calibrate.js'
import { benchEmbeddedFlow } from './embedded-flow.js'
import { benchRenderPdf } from './render-pdf.js'
import { round } from './stats.js'

type Figures = Record<string, number>

interface Results {
  at: string
  node: string
  cpu: string
  baseline_ms: number
  figures: Figures
  /** Each `_ms` figure divided by the baseline. */
  ratios: Figures
}

const resultsDir = join(import.meta.dirname, 'results')

async function previous(): Promise<Results | undefined> {
  try {
    return JSON.parse(await readFile(join(resultsDir, 'latest.json'), 'utf8'))
  } catch {
    return undefined
  }
}

const before = await previous()
const { baseline_ms } = calibrate()
const figures: Figures = {
  ...(await benchRenderPdf()),
  ...(await benchEmbeddedFlow()),
}
const ratios = Object.fromEntries(
  Object.entries(figures)
    .filter(([name]) => name.endsWith('_ms'))
    .map(([name, ms]) => [
      name.replace(/_ms$/, '_x_baseline'),
      round(ms / baseline_ms),
    ]),
)

const results: Results = {
  at: new Date().toISOString(),
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  baseline_ms,
  figures,
  ratios,
}

await mkdir(resultsDir, { recursive: true })
const body = `${JSON.stringify(results, null, 2)}\n`
await writeFile(
  join(resultsDir, `${results.at.replace(/[:.]/g, '-')}.json`),
  body,
)
await writeFile(join(resultsDir, 'latest.json'), body)

console.table(
  Object.entries({ ...figures, ...ratios }).map(([name, value]) => {
    const old = before?.figures[name] ?? before?.ratios[name]
    const change = old ? `${round((value / old - 1) * 100)} %` : ''
    return { name, value, 'vs previous': change }
  }),
)
console.log(`baseline ${baseline_ms} ms; written to bench/results/`)
