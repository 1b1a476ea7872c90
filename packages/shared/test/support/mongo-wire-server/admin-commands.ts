import type { Document } from 'bson'
import type { CommandHandler } from './command-context.js'

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

/** Handshake, liveness and session bookkeeping. */
export const adminCommands: Record<string, CommandHandler> = {
  hello,
  ismaster: hello,
  isMaster: hello,
  ping: ok,
  buildInfo,
  buildinfo: buildInfo,
  endSessions: ok,
  dropDatabase,
}
