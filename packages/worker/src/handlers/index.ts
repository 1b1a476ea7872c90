import { invoiceHandler } from './invoice.js'
import type { JobHandlers } from './job-handler.js'

export * from './job-handler.js'
export { invoiceHandler }

/** The handler for each job type this worker knows. */
export const defaultHandlers: JobHandlers = {
  invoice: invoiceHandler,
}
