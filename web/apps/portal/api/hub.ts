// The server's WebSocket hub (GET /api/v1/ws, src/http/websocket_hub.h):
//   -> {"op":"subscribe","topic":"datacenter.batch"}   <- {"op":"subscribed","topic":"..."}
//   -> {"op":"unsubscribe","topic":"..."}               <- {"op":"unsubscribed","topic":"..."}
//   -> {"op":"ping"}                                    <- {"op":"pong"}
//   <- {"topic":"datacenter.batch","data":{...}}        <- {"op":"error","message":"..."}
// One connection per page, shared by every subscriber; the session cookie
// authenticates it. Reconnects with a growing delay while anyone listens.
// Callers must not rely on it alone (proxies may drop WebSockets): pages poll
// as a fallback while `connected` is false.

export type HubListener = (data: unknown) => void
export interface HubSubscription {
  /** True once the server confirmed the subscription (and until the connection drops). */
  readonly active: boolean
  close(): void
}

type SocketFactory = (url: string) => WebSocket

let factory: SocketFactory = (url) => new WebSocket(url)
/** Tests replace the WebSocket constructor. */
export function setSocketFactory(f: SocketFactory | null): void {
  factory = f ?? ((url) => new WebSocket(url))
}

export function hubUrl(loc: Pick<Location, 'protocol' | 'host'> = window.location): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/api/v1/ws`
}

const listeners = new Map<string, Set<HubListener>>()
const confirmed = new Set<string>()
let socket: WebSocket | null = null
let retryMs = 1000
let retryTimer: ReturnType<typeof setTimeout> | null = null
let pingTimer: ReturnType<typeof setInterval> | null = null

function send(msg: object) {
  if (socket?.readyState === 1) socket.send(JSON.stringify(msg))
}

function connect() {
  if (socket) return
  let ws: WebSocket
  try {
    ws = factory(hubUrl())
  } catch {
    scheduleReconnect()
    return
  }
  socket = ws
  ws.onopen = () => {
    retryMs = 1000
    for (const topic of listeners.keys()) send({ op: 'subscribe', topic })
    pingTimer = setInterval(() => send({ op: 'ping' }), 25_000)
  }
  ws.onmessage = (ev: MessageEvent) => {
    let msg: { op?: string; topic?: string; data?: unknown }
    try {
      msg = JSON.parse(String(ev.data))
    } catch {
      return
    }
    if (msg.op === 'subscribed' && msg.topic) confirmed.add(msg.topic)
    else if (msg.op === 'unsubscribed' && msg.topic) confirmed.delete(msg.topic)
    else if (!msg.op && msg.topic) for (const l of listeners.get(msg.topic) ?? []) l(msg.data)
  }
  ws.onclose = () => {
    socket = null
    confirmed.clear()
    if (pingTimer) clearInterval(pingTimer)
    pingTimer = null
    if (listeners.size) scheduleReconnect()
  }
  ws.onerror = () => ws.close()
}

function scheduleReconnect() {
  if (retryTimer) return
  retryTimer = setTimeout(() => {
    retryTimer = null
    if (listeners.size) connect()
  }, retryMs)
  retryMs = Math.min(retryMs * 2, 30_000)
}

/** Listens to a topic; the returned handle stops listening (and closes the socket after the last one). */
export function subscribe(topic: string, listener: HubListener): HubSubscription {
  let set = listeners.get(topic)
  const first = !set
  if (!set) listeners.set(topic, (set = new Set()))
  set.add(listener)
  if (!socket) connect()
  else if (first) send({ op: 'subscribe', topic })
  return {
    get active() {
      return confirmed.has(topic) && socket?.readyState === 1
    },
    close() {
      const s = listeners.get(topic)
      if (!s?.delete(listener) || s.size) return
      listeners.delete(topic)
      send({ op: 'unsubscribe', topic })
      confirmed.delete(topic)
      if (!listeners.size) {
        if (retryTimer) clearTimeout(retryTimer)
        retryTimer = null
        socket?.close()
        socket = null
      }
    },
  }
}
