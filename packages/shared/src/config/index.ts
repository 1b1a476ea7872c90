export * from './load-config.js'
export * from './adapters.js'
