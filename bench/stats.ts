/** The value below which `p` percent of `values` fall (nearest rank). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.ceil((p / 100) * sorted.length) - 1
  return sorted[Math.min(Math.max(rank, 0), sorted.length - 1)] ?? Number.NaN
}

export const median = (values: number[]) => percentile(values, 50)

/** Two decimals: enough to compare runs, short enough to read. */
export const round = (value: number) => Math.round(value * 100) / 100
