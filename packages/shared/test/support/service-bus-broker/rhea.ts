import { createRequire } from 'node:module'

/**
 * rhea is CommonJS whose `module.exports` is a container instance, so ES
 * named imports do not see its members; require it instead.
 */
export const rhea = createRequire(import.meta.url)(
  'rhea',
) as typeof import('rhea')

export type {
  Connection,
  Delivery,
  EventContext,
  Message,
  Receiver,
  Sender,
} from 'rhea'
