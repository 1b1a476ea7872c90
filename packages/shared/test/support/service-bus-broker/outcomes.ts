import type { BrokerStats } from './faults.js'
import { tagToLockToken } from './lock-token.js'
import {
  outcomes,
  type Container,
  type EventContext,
  type Sender,
} from './rhea.js'
import { settle, type EntityRoute, type Settlement } from './settlement.js'

const accepted = () => outcomes.accepted().described()

/**
 * Turns the outcomes a peek-lock receiver sends (accepted, modified,
 * rejected, released) into settlements, and answers each with a settled
 * disposition: accepted, or rejected with the reason it failed.
 */
export function settleOutcomes(
  container: Container,
  consumers: Map<Sender, EntityRoute>,
  stats: BrokerStats,
): void {
  const onOutcome = (context: EventContext, settlement: Settlement) => {
    const delivery = context.delivery!
    const route = consumers.get(context.sender as Sender)
    // Replies on $cbs and $management links need no more than a settle.
    if (!route) return delivery.update(true, accepted())

    const token = tagToLockToken(delivery.tag as Buffer)
    const error = settle(route, token, settlement)
    if (error?.condition.endsWith('lock-lost')) stats.lockLostReplies += 1
    delivery.update(
      true,
      error ? outcomes.rejected({ error }).described() : accepted(),
    )
  }

  container.on('accepted', (c: EventContext) =>
    onOutcome(c, { kind: 'complete' }),
  )
  container.on('released', (c: EventContext) =>
    onOutcome(c, { kind: 'abandon' }),
  )
  container.on('modified', (c: EventContext) => {
    const state = c.delivery?.remote_state as { undeliverable_here?: boolean }
    onOutcome(c, { kind: state?.undeliverable_here ? 'defer' : 'abandon' })
  })
  container.on('rejected', (c: EventContext) => {
    const state = c.delivery?.remote_state as { error?: { info?: object } }
    const info = state?.error?.info as Record<string, unknown> | undefined
    onOutcome(c, {
      kind: 'deadLetter',
      reason: String(info?.DeadLetterReason ?? ''),
      description: String(info?.DeadLetterErrorDescription ?? ''),
    })
  })
}
