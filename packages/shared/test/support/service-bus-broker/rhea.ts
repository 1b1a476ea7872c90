import { createRequire } from 'node:module'

/**
 * rhea is CommonJS whose `module.exports` is a container instance, so ES
 * named imports do not see its members; require it instead.
 */
export const rhea = createRequire(import.meta.url)(
  'rhea',
) as typeof import('rhea')

/** Outcome builders rhea has at runtime but leaves out of its types. */
export const outcomes = rhea.message as unknown as {
  accepted(): { described(): unknown }
  rejected(fields: { error: unknown }): { described(): unknown }
}

/**
 * The attach frame a link will send. The broker fills it in while the
 * link opens, before rhea writes it; rhea's types do not show it.
 */
export function localAttach(link: object): Record<string, unknown> {
  return (link as { local: { attach: Record<string, unknown> } }).local.attach
}

export type {
  Connection,
  Container,
  Delivery,
  EventContext,
  Message,
  Receiver,
  Sender,
} from 'rhea'
