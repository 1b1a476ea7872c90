export * from './job.js'
export * from './state-machine.js'
