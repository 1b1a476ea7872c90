import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { jobIdOf, parseMessageBody } from '../src/message-body.js'

describe('parseMessageBody', () => {
  it('accepts a claim check', () => {
    const body = { jobId: randomUUID(), type: 'invoice', requestId: 'r-1' }

    expect(parseMessageBody(body)).toEqual({ ok: true, body })
  })

  it.each([
    ['a string', 'hello', 'the body is not an object'],
    ['null', null, 'the body is not an object'],
    ['no job id', { type: 'invoice' }, 'jobId is missing or not a UUID'],
    ['a bad job id', { jobId: '42', type: 'invoice' }, 'jobId'],
    ['no type', { jobId: randomUUID() }, 'type is missing'],
    [
      'a numeric request id',
      { jobId: randomUUID(), type: 'invoice', requestId: 7 },
      'requestId is not a string',
    ],
  ])('refuses %s', (_name, raw, problem) => {
    const parsed = parseMessageBody(raw)

    expect(parsed.ok).toBe(false)
    expect(!parsed.ok && parsed.problem).toContain(problem)
  })
})

describe('jobIdOf', () => {
  it('finds the job id of a body that is otherwise malformed', () => {
    const jobId = randomUUID()

    expect(jobIdOf({ jobId, type: 42 })).toBe(jobId)
    expect(jobIdOf({ jobId: 'not-a-uuid' })).toBeUndefined()
  })
})
