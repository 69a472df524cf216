/**
 * The RFC 6455 pieces the mock servers share (scripts/serve-dist.mjs): the
 * handshake answer, text frames out and client frames in. Text frames only;
 * the real hub is src/http/websocket_hub.cc.
 */
import { createHash } from 'node:crypto'

/** Answers the upgrade request on `socket` (101 Switching Protocols). */
export function acceptUpgrade(req, socket) {
  const accept = createHash('sha1').update(`${req.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64')
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`)
}

/** One unmasked, final text frame (server to client). */
export function textFrame(text) {
  const data = Buffer.from(text)
  let head
  if (data.length < 126) head = Buffer.from([0x81, data.length])
  else if (data.length < 65536) head = Buffer.from([0x81, 126, data.length >> 8, data.length & 255])
  else {
    head = Buffer.alloc(10)
    head[0] = 0x81
    head[1] = 127
    head.writeBigUInt64BE(BigInt(data.length), 2)
  }
  return Buffer.concat([head, data])
}

/** Writes `text` as one frame unless the socket is gone. */
export function sendText(socket, text) {
  if (!socket.destroyed) socket.write(textFrame(text))
}

/**
 * Reads the client's frames from `socket` and calls onFrame(opcode, payload)
 * for each complete one (unmasked payload as a Buffer). A frame with a 64-bit
 * length (over 64 KiB, never sent by the portal) closes the socket.
 */
export function readFrames(socket, onFrame) {
  let buf = Buffer.alloc(0)
  socket.on('data', (chunk) => {
    buf = Buffer.concat([buf, chunk])
    while (buf.length >= 2) {
      const op = buf[0] & 15
      let len = buf[1] & 127
      let off = 2
      if (len === 126) {
        if (buf.length < 4) return
        len = buf.readUInt16BE(2)
        off = 4
      } else if (len === 127) {
        socket.destroy()
        return
      }
      const masked = buf[1] & 128
      if (buf.length < off + (masked ? 4 : 0) + len) return
      const mask = masked ? buf.subarray(off, off + 4) : null
      off += masked ? 4 : 0
      const payload = Buffer.from(buf.subarray(off, off + len))
      if (mask) for (let i = 0; i < payload.length; i++) payload[i] ^= mask[i & 3]
      buf = buf.subarray(off + len)
      onFrame(op, payload)
      if (socket.destroyed) return
    }
  })
}
