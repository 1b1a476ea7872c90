import type { Server, Socket } from 'node:net'
import { BrokerQueue, type QueueInspection } from './broker-queue.js'
import { Faults, type BrokerFaults, type BrokerStats } from './faults.js'
import { answerManagement, answerPutToken } from './management.js'
import {
  localAttach,
  rhea,
  type EventContext,
  type Message,
  type Sender,
} from './rhea.js'
import { settleOutcomes } from './outcomes.js'
import type { EntityRoute } from './settlement.js'

export interface ServiceBusBrokerOptions {
  /** Peek-lock duration of every queue. */
  lockDurationMs?: number
  /** Deliveries before a message is dead-lettered. */
  maxDeliveries?: number
  duplicateWindowMs?: number
  /** Create a queue on first use instead of refusing it as not found. */
  autoCreateQueues?: boolean
}

/** A running test broker. */
export interface ServiceBusBroker extends BrokerFaults {
  readonly port: number
  /** For the real SDK, in emulator mode (plain AMQP, no TLS). */
  readonly connectionString: string
  readonly stats: BrokerStats
  /**
   * Creates a queue, with the broker's settings unless overridden;
   * attaching to an unknown entity fails.
   */
  createQueue(
    name: string,
    overrides?: { lockDurationMs?: number; maxDeliveries?: number },
  ): QueueInspection
  /** Inspects a queue created earlier. */
  queue(name: string): QueueInspection
  close(): Promise<void>
}

const notFound = (path: string) => ({
  condition: 'amqp:not-found',
  description: `The messaging entity 'sb://127.0.0.1/${path}' could not be found. status-code: 404`,
})

/**
 * Starts an AMQP 1.0 broker on 127.0.0.1 that speaks enough of the
 * Service Bus dialect for `@azure/service-bus` in emulator mode.
 */
export async function startServiceBusBroker(
  options: ServiceBusBrokerOptions = {},
): Promise<ServiceBusBroker> {
  const settings = {
    lockDurationMs: options.lockDurationMs ?? 30_000,
    maxDeliveries: options.maxDeliveries ?? 10,
    duplicateWindowMs: options.duplicateWindowMs ?? 600_000,
  }
  const queues = new Map<string, BrokerQueue>()
  let sequence = 0
  const faults = new Faults(queues)
  const responders = new WeakMap<object, Map<string, Sender>>()
  const consumers = new Map<Sender, EntityRoute>()
  const sockets = new Set<Socket>()

  /** `q`, `q/$DeadLetterQueue`, with or without `/$management`. */
  const resolve = (address: string): EntityRoute | undefined => {
    const path = address.replace(/\/\$management$/i, '')
    const [name, sub] = path.split('/')
    const queue =
      queues.get(name ?? '') ??
      (options.autoCreateQueues && name ? addQueue(name) : undefined)
    if (!queue) return undefined
    if (sub === undefined) return { queue, sub: queue.active }
    if (sub.toLowerCase() === '$deadletterqueue') {
      return { queue, sub: queue.deadLetter }
    }
    return undefined
  }

  const addQueue = (
    name: string,
    overrides: { lockDurationMs?: number; maxDeliveries?: number } = {},
  ): BrokerQueue => {
    const queue = new BrokerQueue(
      name,
      {
        ...settings,
        lockDurationMs: overrides.lockDurationMs ?? settings.lockDurationMs,
        maxDeliveries: overrides.maxDeliveries ?? settings.maxDeliveries,
      },
      () => ++sequence,
    )
    queues.set(name, queue)
    return queue
  }

  const container = rhea.create_container({ id: 'service-bus-test-broker' })
  container.sasl_server_mechanisms.enable_anonymous()

  container.on('sender_open', (context: EventContext) => {
    const link = context.sender as Sender
    const address = String(link.source?.address ?? '')
    link.set_source({ address })
    link.set_target({ address: String(link.target?.address ?? '') })
    localAttach(link).snd_settle_mode = link.snd_settle_mode
    localAttach(link).rcv_settle_mode = link.rcv_settle_mode

    if (address === '$cbs' || address.endsWith('/$management')) {
      const byName = responders.get(context.connection) ?? new Map()
      byName.set(link.name, link)
      responders.set(context.connection, byName)
      return
    }
    const route = resolve(address)
    if (!route) return link.close(notFound(address))
    const refusal = faults.refuseAttach()
    if (refusal) return link.close(refusal)
    consumers.set(link, route)
    route.sub.addConsumer(link)
  })

  container.on('receiver_open', (context: EventContext) => {
    const link = context.receiver!
    const address = String(link.target?.address ?? '')
    link.set_target({ address })
    link.set_source({ address: String(link.source?.address ?? '') })
    localAttach(link).max_message_size = 256 * 1024

    if (address === '$cbs' || address.endsWith('/$management')) return
    if (!resolve(address)) return link.close(notFound(address))
    const refusal = faults.refuseAttach()
    if (refusal) link.close(refusal)
  })

  container.on('message', (context: EventContext) => {
    const link = context.receiver!
    const delivery = context.delivery!
    const request = context.message as Message
    const address = String(link.target?.address ?? '')

    if (address === '$cbs' || address.endsWith('/$management')) {
      delivery.accept()
      const route = resolve(address)
      const reply =
        address === '$cbs'
          ? answerPutToken(request)
          : answerManagement(request, route ?? notFound(address))
      responders
        .get(context.connection)
        ?.get(String(request.reply_to))
        ?.send(reply)
      return
    }

    const refusal = faults.refuseSend()
    if (refusal) return delivery.reject(refusal)
    const route = resolve(address)
    if (!route) return delivery.reject(notFound(address))
    route.queue.enqueue(request)
    delivery.accept()
  })

  settleOutcomes(container, consumers, faults.stats)

  const forget = (link: Sender) => {
    consumers.get(link)?.sub.removeConsumer(link)
    consumers.delete(link)
  }
  container.on('sender_close', (c: EventContext) => forget(c.sender as Sender))
  // A receiver that drains (the SDK does after a batch wait) gets what is
  // available first, then its remaining credit back as spent.
  container.on('sender_draining', (c: EventContext) => {
    const link = c.sender as Sender
    consumers.get(link)?.sub.pump()
    link.set_drained(true)
  })
  container.on('disconnected', (c: EventContext) => {
    for (const link of [...consumers.keys()]) {
      if (link.connection === c.connection) forget(link)
    }
  })
  container.on('connection_close', () => {})
  container.on('error', () => {})

  const server = container.listen({
    host: '127.0.0.1',
    port: 0,
    sender_options: { autosettle: false, treat_modified_as_released: false },
    receiver_options: { autoaccept: false },
  } as never) as Server
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    faults.stats.connections += 1
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((done) => server.once('listening', () => done()))
  const port = (server.address() as { port: number }).port
  // rhea notices a lost socket by 'error' or 'end' only, so destroy with
  // an error: the broker then forgets that connection's consumers.
  const cut = () => {
    for (const socket of sockets) socket.destroy(new Error('cut by test'))
  }
  faults.onDrop(cut)

  return {
    port,
    connectionString: `Endpoint=sb://127.0.0.1:${port};SharedAccessKeyName=x;SharedAccessKey=y;UseDevelopmentEmulator=true`,
    stats: faults.stats,
    createQueue: addQueue,
    queue(name) {
      const queue = queues.get(name)
      if (!queue) throw new Error(`no queue named ${name}`)
      return queue
    },
    serverBusy: (ms) => faults.serverBusy(ms),
    refuseSends: (what) => faults.refuseSends(what),
    dropConnections: () => faults.dropConnections(),
    clearFaults: () => faults.clearFaults(),
    loseLock: (messageId) => faults.loseLock(messageId),
    async close() {
      for (const queue of queues.values()) queue.close()
      cut()
      await new Promise<void>((done) => server.close(() => done()))
    },
  }
}
