import { Binary, deserialize, type Document } from 'bson'
import type { CommandHandler } from './command-context.js'
import { ServerError } from './memory-store.js'

/** The server version this emulator claims (MongoDB 7.0, wire 21). */
export const MAX_WIRE_VERSION = 21

let connectionIds = 0

/**
 * A standalone server's handshake answer. No `topologyVersion`, so the
 * driver polls instead of streaming hello, and no compression.
 */
const hello: CommandHandler = () => ({
  helloOk: true,
  ismaster: true,
  isWritablePrimary: true,
  maxBsonObjectSize: 16 * 1024 * 1024,
  maxMessageSizeBytes: 48_000_000,
  maxWriteBatchSize: 100_000,
  localTime: new Date(),
  logicalSessionTimeoutMinutes: 30,
  connectionId: ++connectionIds,
  minWireVersion: 0,
  maxWireVersion: MAX_WIRE_VERSION,
  readOnly: false,
  ok: 1,
})

const ok: CommandHandler = () => ({ ok: 1 })

const buildInfo: CommandHandler = () => ({
  version: '7.0.0',
  versionArray: [7, 0, 0, 0],
  maxBsonObjectSize: 16 * 1024 * 1024,
  ok: 1,
})

const dropDatabase: CommandHandler = (_command: Document, { store, db }) => {
  store.dropDatabase(db)
  return { dropped: db, ok: 1 }
}

/**
 * One-step MONGODB-OIDC: the client sends `{ jwt }` and is let in. The
 * token is only recorded, never verified; other mechanisms are refused.
 */
const saslStart: CommandHandler = (command, { oidcTokens }) => {
  if (command.mechanism !== 'MONGODB-OIDC') {
    throw new ServerError(18, 'AuthenticationFailed', 'Authentication failed.')
  }
  const payload = command.payload as Binary
  const { jwt } = deserialize(payload.value())
  if (typeof jwt !== 'string' || !jwt) {
    throw new ServerError(18, 'AuthenticationFailed', 'Authentication failed.')
  }
  oidcTokens.push(jwt)
  return {
    conversationId: 1,
    done: true,
    payload: new Binary(new Uint8Array()),
    ok: 1,
  }
}

/** Handshake, liveness, session bookkeeping and sign-in. */
export const adminCommands: Record<string, CommandHandler> = {
  hello,
  ismaster: hello,
  isMaster: hello,
  ping: ok,
  buildInfo,
  buildinfo: buildInfo,
  endSessions: ok,
  dropDatabase,
  saslStart,
}
