/** Longest blob name accepted, as in Azure Blob Storage. */
const MAX_NAME_LENGTH = 1024

/** Thrown for a blob name that could reach outside the blob folder. */
export class InvalidBlobNameError extends Error {
  constructor(name: string, why: string) {
    super(`invalid blob name ${JSON.stringify(name)}: ${why}`)
    this.name = 'InvalidBlobNameError'
  }
}

/**
 * Accepts `a/b.pdf`-style names and refuses anything that could resolve
 * outside the folder or hit our own files: absolute paths, `.` and `..`,
 * empty segments, backslashes, control characters, and segments starting
 * with a dot (temp files and sidecars use those). Returns the segments.
 */
export function parseBlobName(name: string): string[] {
  if (typeof name !== 'string' || name.length === 0) {
    throw new InvalidBlobNameError(String(name), 'it is empty')
  }
  if (name.length > MAX_NAME_LENGTH) {
    throw new InvalidBlobNameError(name, 'it is too long')
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(name)) {
    throw new InvalidBlobNameError(name, 'it has a control character or \\')
  }
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) {
    throw new InvalidBlobNameError(name, 'it is an absolute path')
  }

  const segments = name.split('/')
  for (const segment of segments) {
    if (segment === '' || segment.startsWith('.')) {
      throw new InvalidBlobNameError(
        name,
        'a segment is empty or starts with a dot',
      )
    }
  }
  return segments
}
