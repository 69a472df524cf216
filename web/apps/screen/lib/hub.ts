// The big screen's connection to the server's WebSocket hub (GET /api/v1/ws,
// protocol as in web/apps/portal/api/hub.ts):
//   -> {"op":"subscribe","topic":"screen.update"}   <- {"op":"subscribed","topic":"screen.update"}
//   <- {"topic":"screen.update","data":{"items":[...],"asOf":..}}
// Unlike the portal's shared hub this one reports its state (the screen shows
// "连接中断" while it is down) and reconnects with jittered exponential backoff.

export type HubState = 'connecting' | 'open' | 'down'

export interface HubOptions {
  url: string
  topics: string[]
  onMessage: (topic: string, data: unknown) => void
  onState: (state: HubState, retryInMs?: number) => void
  /** Called after a reconnect (not the first connect): the screen refetches everything it may have missed. */
  onReconnected?: () => void
  factory?: (url: string) => WebSocket
  minDelayMs?: number
  maxDelayMs?: number
  random?: () => number
  pingMs?: number
}

/** Delay before reconnect attempt n (0-based): min·2ⁿ capped at max, ±20% jitter. */
export function backoffDelay(attempt: number, minMs = 1000, maxMs = 30_000, random: () => number = Math.random): number {
  const base = Math.min(maxMs, minMs * 2 ** Math.min(attempt, 20))
  return Math.round(base * (0.8 + 0.4 * random()))
}

export function hubUrl(loc: Pick<Location, 'protocol' | 'host'>): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/api/v1/ws`
}

export class HubClient {
  state: HubState = 'connecting'
  attempt = 0
  private ws: WebSocket | null = null
  private retryTimer: ReturnType<typeof setTimeout> | null = null
  private pingTimer: ReturnType<typeof setInterval> | null = null
  private stopped = true
  private everOpened = false

  constructor(private readonly opts: HubOptions) {}

  start(): void {
    if (!this.stopped) return
    this.stopped = false
    this.connect()
  }

  stop(): void {
    this.stopped = true
    if (this.retryTimer) clearTimeout(this.retryTimer)
    this.retryTimer = null
    this.clearPing()
    const ws = this.ws
    this.ws = null
    if (ws) {
      ws.onclose = null
      ws.close()
    }
  }

  private setState(s: HubState, retryInMs?: number) {
    this.state = s
    this.opts.onState(s, retryInMs)
  }

  private clearPing() {
    if (this.pingTimer) clearInterval(this.pingTimer)
    this.pingTimer = null
  }

  private connect() {
    if (this.stopped) return
    this.setState('connecting')
    let ws: WebSocket
    try {
      ws = (this.opts.factory ?? ((u) => new WebSocket(u)))(this.opts.url)
    } catch {
      this.down()
      return
    }
    this.ws = ws
    ws.onopen = () => {
      for (const topic of this.opts.topics) ws.send(JSON.stringify({ op: 'subscribe', topic }))
      this.clearPing()
      this.pingTimer = setInterval(() => {
        if (ws.readyState === 1) ws.send('{"op":"ping"}')
      }, this.opts.pingMs ?? 25_000)
    }
    ws.onmessage = (ev: MessageEvent) => {
      let msg: { op?: string; topic?: string; data?: unknown }
      try {
        msg = JSON.parse(String(ev.data))
      } catch {
        return
      }
      if (msg.op === 'subscribed' && msg.topic && this.opts.topics.includes(msg.topic)) {
        // The subscription is confirmed: only now is the screen live.
        const again = this.everOpened
        this.everOpened = true
        this.attempt = 0
        if (this.state !== 'open') this.setState('open')
        if (again) this.opts.onReconnected?.()
      } else if (!msg.op && msg.topic) {
        this.opts.onMessage(msg.topic, msg.data)
      }
    }
    ws.onerror = () => ws.close()
    ws.onclose = () => {
      if (this.ws === ws) this.ws = null
      this.clearPing()
      this.down()
    }
  }

  private down() {
    if (this.stopped || this.retryTimer) return
    const delay = backoffDelay(this.attempt++, this.opts.minDelayMs, this.opts.maxDelayMs, this.opts.random)
    this.setState('down', delay)
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null
      this.connect()
    }, delay)
  }
}
