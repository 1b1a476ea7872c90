import type { JobStatusResource } from '@invoice-jobs/shared'

/**
 * Polls a job's status the way a well-behaved client does: it waits the
 * Retry-After the server asks for and sends If-None-Match.
 */
export async function pollUntilFinal(
  statusUrl: string,
  timeoutMs = 60_000,
): Promise<{ job: JobStatusResource; polls: number; notModified: number }> {
  const deadline = Date.now() + timeoutMs
  let etag: string | undefined
  let job: JobStatusResource | undefined
  let polls = 0
  let notModified = 0

  while (Date.now() < deadline) {
    const res = await fetch(statusUrl, {
      headers: etag ? { 'if-none-match': etag } : {},
    })
    polls++
    if (res.status === 304) {
      notModified++
    } else if (res.status === 200) {
      job = (await res.json()) as JobStatusResource
      etag = res.headers.get('etag') ?? undefined
      if (['completed', 'failed', 'canceled'].includes(job.status)) {
        return { job, polls, notModified }
      }
    } else {
      throw new Error(`status poll answered ${res.status}`)
    }
    const retryAfter = Number(res.headers.get('retry-after') ?? '1')
    await new Promise((r) => setTimeout(r, retryAfter * 1000))
  }
  throw new Error(`job not final in time: ${JSON.stringify(job)}`)
}
