export * from './blob-store.js'
export * from './job-queue.js'
export * from './job-store.js'
