export * from './invoice.js'
export * from './job.js'
export * from './message.js'
export * from './problem.js'
