import { rhea } from './rhea.js'

/**
 * The service writes a lock token into the delivery tag in .NET's GUID
 * byte order (the first three groups little-endian) but reads it in
 * AMQP's big-endian uuid order on `$management`; the SDK converts.
 */
export function lockTokenToTag(token: string): Buffer {
  return swapGroups(rhea.string_to_uuid(token))
}

export function tagToLockToken(tag: Buffer): string {
  return rhea.uuid_to_string(swapGroups(tag))
}

function swapGroups(bytes: Buffer): Buffer {
  const out = Buffer.from(bytes)
  out.subarray(0, 4).reverse()
  out.subarray(4, 6).reverse()
  out.subarray(6, 8).reverse()
  return out
}
