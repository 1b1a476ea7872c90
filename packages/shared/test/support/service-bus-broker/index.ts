export * from './broker.js'
export type { QueueInspection } from './broker-queue.js'
export type { BrokerFaults, BrokerStats } from './faults.js'
export type { MessageView } from './stored-message.js'
