export * from './blob-storage-store.js'
export * from './mongo-job-store.js'
export * from './service-bus-job-queue.js'
