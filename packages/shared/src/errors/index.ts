export * from './codes.js'
