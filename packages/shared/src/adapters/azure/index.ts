export * from './blob-storage-store.js'
