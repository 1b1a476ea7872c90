import { deserialize, serialize, type Document } from 'bson'

/** Opcodes of the MongoDB wire protocol this test server understands. */
export const OP_REPLY = 1
export const OP_QUERY = 2004
export const OP_MSG = 2013

const HEADER_SIZE = 16
const CHECKSUM_PRESENT = 1

/** One request as the command layer sees it, whatever its opcode. */
export interface WireRequest {
  requestId: number
  opCode: typeof OP_QUERY | typeof OP_MSG
  /** The command body, with any kind 1 sequences folded into it. */
  command: Document
  /** Database the command targets (`$db`, or the OP_QUERY namespace). */
  db: string
}

/**
 * Splits complete messages off the front of `buffer`. Returns the
 * messages and the bytes that still wait for the rest of a message.
 */
export function takeMessages(buffer: Buffer): {
  messages: Buffer[]
  rest: Buffer
} {
  const messages: Buffer[] = []
  let offset = 0
  while (buffer.length - offset >= 4) {
    const length = buffer.readInt32LE(offset)
    if (length < HEADER_SIZE) throw new Error(`bad message length ${length}`)
    if (buffer.length - offset < length) break
    messages.push(buffer.subarray(offset, offset + length))
    offset += length
  }
  return { messages, rest: buffer.subarray(offset) }
}

/** Decodes an OP_MSG or OP_QUERY message; other opcodes are refused. */
export function decodeRequest(message: Buffer): WireRequest {
  const requestId = message.readInt32LE(4)
  const opCode = message.readInt32LE(12)
  if (opCode === OP_MSG) return decodeOpMsg(message, requestId)
  if (opCode === OP_QUERY) return decodeOpQuery(message, requestId)
  throw new Error(`opcode ${opCode} is not emulated`)
}

function decodeOpMsg(message: Buffer, requestId: number): WireRequest {
  const flags = message.readUInt32LE(HEADER_SIZE)
  const end = flags & CHECKSUM_PRESENT ? message.length - 4 : message.length
  let offset = HEADER_SIZE + 4
  let body: Document | undefined
  const sequences: Record<string, Document[]> = {}

  while (offset < end) {
    const kind = message.readUInt8(offset)
    offset += 1
    if (kind === 0) {
      const size = message.readInt32LE(offset)
      body = deserialize(message.subarray(offset, offset + size))
      offset += size
      continue
    }
    if (kind !== 1) throw new Error(`section kind ${kind} is not emulated`)

    const size = message.readInt32LE(offset)
    const sectionEnd = offset + size
    const nameEnd = message.indexOf(0, offset + 4)
    const name = message.toString('utf8', offset + 4, nameEnd)
    const documents: Document[] = []
    let cursor = nameEnd + 1
    while (cursor < sectionEnd) {
      const docSize = message.readInt32LE(cursor)
      documents.push(deserialize(message.subarray(cursor, cursor + docSize)))
      cursor += docSize
    }
    sequences[name] = documents
    offset = sectionEnd
  }

  if (!body) throw new Error('OP_MSG without a body section')
  const command = { ...body, ...sequences }
  return { requestId, opCode: OP_MSG, command, db: String(body.$db) }
}

function decodeOpQuery(message: Buffer, requestId: number): WireRequest {
  const nameStart = HEADER_SIZE + 4
  const nameEnd = message.indexOf(0, nameStart)
  const namespace = message.toString('utf8', nameStart, nameEnd)
  const queryStart = nameEnd + 1 + 8
  const size = message.readInt32LE(queryStart)
  const query = deserialize(message.subarray(queryStart, queryStart + size))
  // Old drivers wrap the command when they add a read preference.
  const command = (query.$query as Document | undefined) ?? query
  const db = namespace.slice(0, namespace.indexOf('.'))
  return { requestId, opCode: OP_QUERY, command, db }
}

function header(length: number, responseTo: number, opCode: number) {
  const buffer = Buffer.alloc(HEADER_SIZE)
  buffer.writeInt32LE(length, 0)
  buffer.writeInt32LE(nextResponseId(), 4)
  buffer.writeInt32LE(responseTo, 8)
  buffer.writeInt32LE(opCode, 12)
  return buffer
}

let responseId = 0
function nextResponseId(): number {
  responseId = (responseId + 1) % 0x7fffffff
  return responseId
}

/** Encodes `reply` in the form that answers `request`'s opcode. */
export function encodeReply(request: WireRequest, reply: Document): Buffer {
  const body = serialize(reply)
  if (request.opCode === OP_MSG) {
    const flags = Buffer.alloc(5) // flag bits, then section kind 0
    const length = HEADER_SIZE + flags.length + body.length
    return Buffer.concat([
      header(length, request.requestId, OP_MSG),
      flags,
      body,
    ])
  }

  // OP_REPLY: flags, cursor id, starting from, number returned.
  const fields = Buffer.alloc(20)
  fields.writeInt32LE(1, 16)
  const length = HEADER_SIZE + fields.length + body.length
  return Buffer.concat([
    header(length, request.requestId, OP_REPLY),
    fields,
    body,
  ])
}
