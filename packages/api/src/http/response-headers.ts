/**
 * Response headers as OpenAPI documents them. They are not validated;
 * they tell client authors what to read.
 */
export const headerDocs = {
  location: { type: 'string', description: 'Where to go next' },
  'retry-after': {
    type: 'integer',
    description: 'Seconds to wait before polling again',
  },
  etag: { type: 'string', description: 'Validator for If-None-Match' },
  'cache-control': { type: 'string' },
  'content-disposition': {
    type: 'string',
    description: 'attachment; filename="…"; filename*=UTF-8\'\'…',
  },
  'content-range': { type: 'string', description: 'bytes a-b/size' },
  'accept-ranges': { type: 'string', description: 'bytes' },
} as const

type HeaderName = keyof typeof headerDocs

/** The documentation of the named response headers. */
export function documentHeaders(...names: HeaderName[]) {
  return Object.fromEntries(names.map((name) => [name, headerDocs[name]]))
}
