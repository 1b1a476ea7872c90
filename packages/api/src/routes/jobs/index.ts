import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import resultRoute, { type ResultRouteOptions } from './result.js'
import statusRoute from './status.js'

export type JobRoutesOptions = ResultRouteOptions

/** Everything under `/jobs/:id`. */
const jobRoutes: FastifyPluginAsyncTypebox<JobRoutesOptions> = async (
  app,
  options,
) => {
  await app.register(statusRoute, {
    store: options.store,
    retryAfterSeconds: options.retryAfterSeconds,
  })
  await app.register(resultRoute, options)
}

export default jobRoutes
