import { rhea, type Message } from './rhea.js'
import {
  settle,
  type EntityRoute,
  type SettleError,
  type Settlement,
} from './settlement.js'

type Body = Record<string, unknown>

/** A reply on a request-response link, before addressing. */
export interface Reply {
  status: number
  description: string
  condition?: string
  body?: unknown
}

/** Answers a put-token on `$cbs`: every token is accepted. */
export function answerPutToken(request: Message): Message {
  return {
    correlation_id: request.message_id,
    to: request.reply_to,
    application_properties: {
      'status-code': 202,
      'status-description': 'Accepted',
    },
    body: undefined,
  }
}

/**
 * Answers a request on `<entity>/$management`, or with the error that
 * the entity does not exist.
 */
export function answerManagement(
  request: Message,
  route: EntityRoute | SettleError,
): Message {
  const reply =
    'condition' in route ? { status: 404, ...route } : handle(request, route)
  const properties: Record<string, unknown> = {
    statusCode: reply.status,
    statusDescription: reply.description,
  }
  if (reply.condition) properties.errorCondition = reply.condition

  return {
    correlation_id: request.message_id,
    to: request.reply_to,
    application_properties: properties,
    body: reply.body,
  }
}

function handle(request: Message, route: EntityRoute): Reply {
  const operation = request.application_properties?.operation as string
  const body = (request.body ?? {}) as Body

  switch (operation) {
    case 'com.microsoft:renew-lock':
      return renewLocks(body, route)
    case 'com.microsoft:update-disposition':
      return updateDisposition(body, route)
    case 'com.microsoft:peek-message':
      return peek(body, route)
    default:
      return {
        status: 501,
        condition: 'amqp:not-implemented',
        description: `The test broker does not support ${operation}.`,
      }
  }
}

function tokensOf(body: Body): string[] {
  const tokens = body['lock-tokens']
  if (!Array.isArray(tokens)) return []
  return tokens.map((t) => rhea.uuid_to_string(t as Buffer))
}

function renewLocks(body: Body, route: EntityRoute): Reply {
  const expirations: number[] = []
  for (const token of tokensOf(body)) {
    const message = route.sub.locked(token)
    if (!message) return lockLost(token)
    expirations.push(route.sub.renew(message).getTime())
  }
  return {
    status: 200,
    description: 'OK',
    body: { expirations: rhea.types.wrap_array(expirations, 0x83, undefined) },
  }
}

function updateDisposition(body: Body, route: EntityRoute): Reply {
  const status = body['disposition-status']
  const settlement: Settlement | undefined =
    status === 'completed'
      ? { kind: 'complete' }
      : status === 'abandoned'
        ? { kind: 'abandon' }
        : status === 'suspended'
          ? {
              kind: 'deadLetter',
              reason: String(body['deadletter-reason'] ?? ''),
              description: String(body['deadletter-description'] ?? ''),
            }
          : status === 'defered'
            ? { kind: 'defer' }
            : undefined
  if (!settlement) {
    return {
      status: 400,
      condition: 'amqp:invalid-field',
      description: `Unknown disposition status ${String(status)}.`,
    }
  }

  for (const token of tokensOf(body)) {
    const error = settle(route, token, settlement)
    if (error) {
      return { status: 410, ...error }
    }
  }
  return { status: 200, description: 'OK' }
}

function peek(body: Body, route: EntityRoute): Reply {
  const from = longOf(body['from-sequence-number'])
  const count = Number(body['message-count'] ?? 1)
  const found = route.sub.messages
    .filter((m) => m.sequenceNumber >= from)
    .slice(0, count)
  if (found.length === 0) {
    return {
      status: 204,
      description: 'No messages',
      body: { messages: [] },
    }
  }

  const messages = found.map((m) => ({
    message: rhea.message.encode({
      ...m.message,
      message_id: m.messageId,
      delivery_count: m.deliveryCount,
      message_annotations: {
        ...(m.message.message_annotations ?? {}),
        'x-opt-sequence-number': rhea.types.wrap_long(m.sequenceNumber),
        'x-opt-enqueued-time': rhea.types.wrap_timestamp(m.enqueuedAt),
      },
    }),
  }))
  return { status: 200, description: 'OK', body: { messages } }
}

/** rhea hands a long over as a number or as its 8 big-endian bytes. */
function longOf(value: unknown): number {
  if (Buffer.isBuffer(value)) return Number(value.readBigInt64BE(0))
  return Number(value ?? 0)
}

function lockLost(token: string): Reply {
  return {
    status: 410,
    condition: 'com.microsoft:message-lock-lost',
    description: `The lock supplied is invalid. Reference:${token}`,
  }
}
