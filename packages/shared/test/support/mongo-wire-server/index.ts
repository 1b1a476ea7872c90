import { createServer, type Socket } from 'node:net'
import type { Document } from 'bson'
import { adminCommands } from './admin-commands.js'
import {
  CursorTable,
  type CommandContext,
  type CommandHandler,
} from './command-context.js'
import { crudCommands } from './crud-commands.js'
import { indexCommands } from './index-commands.js'
import {
  MemoryStore,
  ServerError,
  copy,
  type IndexSpec,
} from './memory-store.js'
import { decodeRequest, encodeReply, takeMessages } from './wire-codec.js'

export type { IndexSpec }

/** A failure the next matching command(s) answer with instead. */
export interface Fault {
  /** Server error code, e.g. 16500 (Cosmos throttling) or 11000. */
  code?: number
  errmsg?: string
  /** How many consecutive commands fail; default 1. */
  count?: number
  /** Drop the connection without answering (a network error). */
  closeConnection?: boolean
  /** With `closeConnection`: run the command first, then drop the reply. */
  afterExecute?: boolean
  /** Only commands on this collection match. */
  collection?: string
}

export interface MongoWireServerOptions {
  /** Refuse sorts no declared index serves, as Cosmos DB does. */
  requireIndexForSort?: boolean
}

/** Read-only views of what a database holds, for assertions. */
export interface DatabaseView {
  collectionNames(): string[]
  /** Copies of the documents, in insertion order. */
  documents(collection: string): Document[]
  indexes(collection: string): IndexSpec[]
}

export interface ReceivedCommand {
  name: string
  db: string
  opCode: number
}

export interface MongoWireServer {
  uri: string
  port: number
  database(name: string): DatabaseView
  failNext(commandName: string, fault: Fault): void
  /** Tokens presented through MONGODB-OIDC, oldest first. */
  readonly oidcTokens: readonly string[]
  /** Every command received so far, oldest first, with its opcode. */
  readonly commands: ReadonlyArray<ReceivedCommand>
  requireIndexForSort: boolean
  close(): Promise<void>
}

const handlers: Record<string, CommandHandler> = {
  ...adminCommands,
  ...crudCommands,
  ...indexCommands,
}

const WRITE_COMMANDS = new Set(['insert', 'update', 'delete'])

const defaultMessages: Record<number, string> = {
  16500:
    'Request rate is large. More Request Units may be needed, so no ' +
    'changes were made. Please retry this request later. RetryAfterMs=50',
  11000: 'E11000 duplicate key error (injected)',
}

const codeNames: Record<number, string> = {
  16500: 'TooManyRequests',
  11000: 'DuplicateKey',
}

/**
 * Starts an in-process server that speaks enough of the MongoDB wire
 * protocol (OP_MSG, and OP_QUERY for the first handshake) for the real
 * driver to run the job store against it. Test code only.
 */
export async function startMongoWireServer(
  options: MongoWireServerOptions = {},
): Promise<MongoWireServer> {
  const store = new MemoryStore()
  const cursors = new CursorTable()
  const faults = new Map<string, Array<{ fault: Fault; left: number }>>()
  const commands: ReceivedCommand[] = []
  const oidcTokens: string[] = []
  const sockets = new Set<Socket>()
  const state = { requireIndexForSort: !!options.requireIndexForSort }

  function takeFault(name: string, command: Document): Fault | undefined {
    const queue = faults.get(name) ?? []
    const at = queue.findIndex(
      ({ fault }) =>
        fault.collection === undefined || command[name] === fault.collection,
    )
    const entry = queue[at]
    if (!entry) return undefined
    entry.left -= 1
    if (entry.left <= 0) queue.splice(at, 1)
    return entry.fault
  }

  function faultReply(name: string, fault: Fault): Document {
    const code = fault.code ?? 16500
    const error = new ServerError(
      code,
      codeNames[code] ?? 'InjectedFault',
      fault.errmsg ?? defaultMessages[code] ?? 'injected fault',
    )
    if (code === 11000 && WRITE_COMMANDS.has(name)) {
      const writeError = { index: 0, code, errmsg: error.message }
      return { n: 0, writeErrors: [writeError], ok: 1 }
    }
    return error.toReply()
  }

  function execute(name: string, command: Document, db: string): Document {
    const handler = handlers[name]
    if (!handler) {
      return new ServerError(
        59,
        'CommandNotFound',
        `no such command: '${name}'`,
      ).toReply()
    }
    const context: CommandContext = {
      store,
      db,
      cursors,
      requireIndexForSort: state.requireIndexForSort,
      oidcTokens,
    }
    try {
      return handler(command, context)
    } catch (error) {
      if (error instanceof ServerError) return error.toReply()
      const message = error instanceof Error ? error.message : String(error)
      return new ServerError(1, 'InternalError', message).toReply()
    }
  }

  function onMessage(socket: Socket, message: Buffer): void {
    const request = decodeRequest(message)
    const name = Object.keys(request.command)[0] ?? ''
    commands.push({ name, db: request.db, opCode: request.opCode })

    const fault = takeFault(name, request.command)
    if (fault?.closeConnection) {
      if (fault.afterExecute) execute(name, request.command, request.db)
      socket.destroy()
      return
    }
    const reply = fault
      ? faultReply(name, fault)
      : execute(name, request.command, request.db)
    socket.write(encodeReply(request, reply))
  }

  const server = createServer((socket) => {
    sockets.add(socket)
    let pending: Buffer = Buffer.alloc(0)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => socket.destroy())
    socket.on('data', (chunk) => {
      try {
        const { messages, rest } = takeMessages(Buffer.concat([pending, chunk]))
        pending = rest
        for (const message of messages) onMessage(socket, message)
      } catch {
        socket.destroy()
      }
    })
  })

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (!address || typeof address === 'string') throw new Error('no port')
  const port = address.port

  let closed: Promise<void> | undefined
  return {
    uri: `mongodb://127.0.0.1:${port}/`,
    port,
    commands,
    oidcTokens,
    get requireIndexForSort() {
      return state.requireIndexForSort
    },
    set requireIndexForSort(value: boolean) {
      state.requireIndexForSort = value
    },
    database: (name) => ({
      collectionNames: () => [...store.database(name).keys()],
      documents: (collection) =>
        (store.find(name, collection)?.docs ?? []).map(copy),
      indexes: (collection) =>
        (store.find(name, collection)?.indexes ?? []).map((i) => ({ ...i })),
    }),
    failNext(commandName, fault) {
      const queue = faults.get(commandName) ?? []
      queue.push({ fault, left: fault.count ?? 1 })
      faults.set(commandName, queue)
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      })
      return closed
    },
  }
}
