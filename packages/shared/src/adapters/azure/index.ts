export * from './blob-storage-store.js'
export * from './mongo-job-store.js'
