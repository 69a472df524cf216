import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { backoffDelay, HubClient, hubUrl, type HubState } from '../apps/screen/lib/hub'

class FakeSocket {
  static all: FakeSocket[] = []
  readyState = 0
  sent: string[] = []
  onopen: (() => void) | null = null
  onmessage: ((ev: { data: string }) => void) | null = null
  onclose: (() => void) | null = null
  onerror: (() => void) | null = null
  constructor(public url: string) {
    FakeSocket.all.push(this)
  }
  send(s: string) {
    this.sent.push(s)
  }
  close() {
    this.readyState = 3
    this.onclose?.()
  }
  // server side
  open() {
    this.readyState = 1
    this.onopen?.()
  }
  push(msg: object) {
    this.onmessage?.({ data: JSON.stringify(msg) })
  }
}

beforeEach(() => {
  vi.useFakeTimers()
  FakeSocket.all = []
})
afterEach(() => vi.useRealTimers())

function client() {
  const states: Array<[HubState, number | undefined]> = []
  const messages: Array<[string, unknown]> = []
  let reconnected = 0
  const hub = new HubClient({
    url: 'ws://x/api/v1/ws',
    topics: ['screen.update'],
    onMessage: (t, d) => messages.push([t, d]),
    onState: (s, r) => states.push([s, r]),
    onReconnected: () => reconnected++,
    factory: (u) => new FakeSocket(u) as unknown as WebSocket,
    random: () => 0.5,
  })
  return { hub, states, messages, reconnects: () => reconnected }
}

describe('backoffDelay', () => {
  it('doubles from 1 s, caps at 30 s, with ±20% jitter', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 10].map((n) => backoffDelay(n, 1000, 30_000, () => 0.5))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000])
    expect(backoffDelay(0, 1000, 30_000, () => 0)).toBe(800)
    expect(backoffDelay(0, 1000, 30_000, () => 1)).toBe(1200)
    expect(backoffDelay(1e9)).toBeLessThanOrEqual(36_000)
  })
  it('hub URL follows the page scheme', () => {
    expect(hubUrl({ protocol: 'https:', host: 'hrss.dazhu.gov.cn' })).toBe('wss://hrss.dazhu.gov.cn/api/v1/ws')
    expect(hubUrl({ protocol: 'http:', host: '127.0.0.1:4180' })).toBe('ws://127.0.0.1:4180/api/v1/ws')
  })
})

describe('HubClient', () => {
  it('subscribes on open, is live only once the subscription is confirmed, and delivers topic messages', () => {
    const { hub, states, messages } = client()
    hub.start()
    const ws = FakeSocket.all[0]
    expect(states.at(-1)?.[0]).toBe('connecting')
    ws.open()
    expect(ws.sent).toEqual(['{"op":"subscribe","topic":"screen.update"}'])
    expect(hub.state).toBe('connecting')
    ws.push({ op: 'subscribed', topic: 'screen.update' })
    expect(hub.state).toBe('open')
    ws.push({ topic: 'screen.update', data: { items: ['kpi'], asOf: 1 } })
    ws.push({ op: 'pong' })
    expect(messages).toEqual([['screen.update', { items: ['kpi'], asOf: 1 }]])
    vi.advanceTimersByTime(25_000)
    expect(ws.sent.at(-1)).toBe('{"op":"ping"}')
    hub.stop()
  })

  it('reports "down" with the retry delay and reconnects with growing delays, reset after success', () => {
    const { hub, states, reconnects } = client()
    hub.start()
    FakeSocket.all[0].open()
    FakeSocket.all[0].push({ op: 'subscribed', topic: 'screen.update' })
    FakeSocket.all[0].close() // server went away
    expect(states.at(-1)).toEqual(['down', 1000])
    vi.advanceTimersByTime(999)
    expect(FakeSocket.all).toHaveLength(1)
    vi.advanceTimersByTime(1)
    expect(FakeSocket.all).toHaveLength(2)
    FakeSocket.all[1].close() // refused
    expect(states.at(-1)).toEqual(['down', 2000])
    vi.advanceTimersByTime(2000)
    FakeSocket.all[2].close()
    expect(states.at(-1)).toEqual(['down', 4000])
    vi.advanceTimersByTime(4000)
    const ws = FakeSocket.all[3]
    ws.open()
    ws.push({ op: 'subscribed', topic: 'screen.update' })
    expect(hub.state).toBe('open')
    expect(reconnects()).toBe(1) // the screen refetches what it may have missed
    ws.close()
    expect(states.at(-1)).toEqual(['down', 1000]) // backoff starts again after a good connection
    hub.stop()
  })

  it('survives a throwing socket constructor and stops cleanly', () => {
    let calls = 0
    const states: HubState[] = []
    const hub = new HubClient({
      url: 'ws://x', topics: ['screen.update'], onMessage: () => {}, onState: (s) => states.push(s), random: () => 0.5,
      factory: () => {
        calls++
        throw new Error('blocked')
      },
    })
    hub.start()
    expect(states).toEqual(['connecting', 'down'])
    vi.advanceTimersByTime(1000)
    expect(calls).toBe(2)
    hub.stop()
    vi.advanceTimersByTime(60_000)
    expect(calls).toBe(2)
  })
})
