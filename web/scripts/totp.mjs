// RFC 6238 TOTP (HMAC-SHA-1, 30-second steps, 6 digits) with RFC 4648 base32
// secrets, in node:crypto only. Shared by the mock API and the e2e tests.
import { createHmac } from 'node:crypto'

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

/** Decodes RFC 4648 base32 (case-insensitive; spaces, dashes and padding ignored). */
export function base32Decode(text) {
  const clean = String(text).toUpperCase().replace(/[\s=-]/g, '')
  let bits = 0
  let value = 0
  const out = []
  for (const ch of clean) {
    const idx = ALPHABET.indexOf(ch)
    if (idx < 0) throw new Error(`invalid base32 character "${ch}"`)
    value = (value << 5) | idx
    bits += 5
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff)
      bits -= 8
    }
  }
  return Buffer.from(out)
}

export function base32Encode(bytes) {
  let bits = 0
  let value = 0
  let out = ''
  for (const b of bytes) {
    value = (value << 8) | b
    bits += 8
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31]
  return out
}

/** RFC 4226 HOTP value for `counter`. */
export function hotp(key, counter, digits = 6) {
  const msg = Buffer.alloc(8)
  msg.writeBigUInt64BE(BigInt(counter))
  const mac = createHmac('sha1', key).update(msg).digest()
  const offset = mac[mac.length - 1] & 0x0f
  const code = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3]
  return String(code % 10 ** digits).padStart(digits, '0')
}

/** The TOTP code of a base32 secret at `timeMs` (default now). */
export function totp(secretBase32, timeMs = Date.now(), stepSeconds = 30, digits = 6) {
  return hotp(base32Decode(secretBase32), Math.floor(timeMs / 1000 / stepSeconds), digits)
}

/** Whether `code` matches the current step or one step either side (clock drift). */
export function verifyTotp(secretBase32, code, timeMs = Date.now(), window = 1) {
  for (let w = -window; w <= window; w++) {
    if (totp(secretBase32, timeMs + w * 30_000) === String(code)) return true
  }
  return false
}

/** Seconds left in the current 30-second step. */
export function secondsLeftInStep(timeMs = Date.now()) {
  return 30 - (Math.floor(timeMs / 1000) % 30)
}
