// Live batch progress: the hub topic datacenter.batch over /api/v1/ws, and
// GET /batches/{id} every 2 s while the socket is not confirmed.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { setSocketFactory, hubUrl } from '../apps/portal/api/hub'
import { watchBatch, type BatchUpdate } from '../apps/portal/views/datacenter/batchWatch'
import type { Batch } from '../apps/portal/api/datacenter'

class FakeSocket {
  static last: FakeSocket | null = null
  readyState = 0
  sent: string[] = []
  onopen: (() => void) | null = null
  onmessage: ((ev: { data: string }) => void) | null = null
  onclose: (() => void) | null = null
  onerror: (() => void) | null = null
  constructor(public url: string) {
    FakeSocket.last = this
  }
  send(text: string) {
    this.sent.push(text)
  }
  close() {
    this.readyState = 3
    this.onclose?.()
  }
  open() {
    this.readyState = 1
    this.onopen?.()
  }
  push(msg: object) {
    this.onmessage?.({ data: JSON.stringify(msg) })
  }
}

const batch = (over: Partial<Batch> = {}): Batch => ({
  id: 1079, jobId: 12, jobName: '社保核心库增量抽取', trigger: 'manual', triggeredBy: 'admin', status: 'running', startedAt: 1, finishedAt: null,
  rowsRead: 0, rowsInserted: 0, rowsUpdated: 0, rowsUnchanged: 0, rowsDeleted: 0, rowsQuarantined: 0, progressDone: 0, progressTotal: 100,
  currentStream: '', error: '', ...over,
})

describe('batch progress', () => {
  afterEach(() => {
    vi.useRealTimers()
    setSocketFactory(null)
  })

  it('builds the hub URL from the page location', () => {
    expect(hubUrl({ protocol: 'https:', host: 'hrss.dazhu.gov.cn' })).toBe('wss://hrss.dazhu.gov.cn/api/v1/ws')
    expect(hubUrl({ protocol: 'http:', host: '127.0.0.1:8080' })).toBe('ws://127.0.0.1:8080/api/v1/ws')
  })

  it('follows pushed progress and stops polling while the socket is live', async () => {
    vi.useFakeTimers()
    setSocketFactory((url) => new FakeSocket(url) as unknown as WebSocket)
    const load = vi.fn(async () => batch({ status: 'succeeded', progressDone: 100 }))
    const updates: BatchUpdate[] = []
    const stop = watchBatch(1079, (u) => updates.push(u), { load })
    const ws = FakeSocket.last!
    ws.open()
    expect(JSON.parse(ws.sent[0])).toEqual({ op: 'subscribe', topic: 'datacenter.batch' })
    ws.push({ op: 'subscribed', topic: 'datacenter.batch' })
    ws.push({ topic: 'datacenter.batch', data: { batchId: 9999, jobId: 1, status: 'running', progressDone: 5, progressTotal: 10, rowsRead: 5, rowsQuarantined: 0 } })
    ws.push({ topic: 'datacenter.batch', data: { batchId: 1079, jobId: 12, status: 'running', progressDone: 40, progressTotal: 100, rowsRead: 40, rowsQuarantined: 1 } })
    expect(updates).toHaveLength(1)
    expect(updates[0]).toMatchObject({ id: 1079, progressDone: 40, via: 'ws' })
    await vi.advanceTimersByTimeAsync(2100)
    expect(load).not.toHaveBeenCalled()
    ws.push({ topic: 'datacenter.batch', data: { batchId: 1079, jobId: 12, status: 'succeeded', progressDone: 100, progressTotal: 100, rowsRead: 100, rowsQuarantined: 1 } })
    await vi.advanceTimersByTimeAsync(10)
    expect(load).toHaveBeenCalledTimes(1)
    expect(updates.at(-1)).toMatchObject({ status: 'succeeded', via: 'poll' })
    stop()
  })

  it('polls GET /batches/{id} every 2 s when the socket never opens', async () => {
    vi.useFakeTimers()
    setSocketFactory(() => {
      throw new Error('no websocket')
    })
    const states = [batch({ progressDone: 20 }), batch({ progressDone: 60 }), batch({ status: 'failed', error: 'x' })]
    const load = vi.fn(async () => states.shift()!)
    const updates: BatchUpdate[] = []
    const stop = watchBatch(1079, (u) => updates.push(u), { load })
    await vi.advanceTimersByTimeAsync(2000)
    expect(updates.map((u) => u.progressDone)).toEqual([20])
    await vi.advanceTimersByTimeAsync(4000)
    expect(updates.map((u) => u.status)).toEqual(['running', 'running', 'failed'])
    await vi.advanceTimersByTimeAsync(6000)
    expect(load).toHaveBeenCalledTimes(3)
    stop()
  })
})
