import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Carousel, REMOTE_PAUSE_TTL_MS, type ChannelLike } from '../apps/screen/lib/carousel'

/** An in-memory BroadcastChannel: a message reaches every other member, asynchronously like the real one. */
class Bus {
  members = new Set<FakeChannel>()
  open(): FakeChannel {
    const c = new FakeChannel(this)
    this.members.add(c)
    return c
  }
}
class FakeChannel implements ChannelLike {
  onmessage: ((ev: MessageEvent) => void) | null = null
  closed = false
  constructor(private bus: Bus) {}
  postMessage(msg: unknown) {
    if (this.closed) throw new Error('closed')
    for (const m of this.bus.members) if (m !== this && !m.closed) queueMicrotask(() => m.onmessage?.({ data: structuredClone(msg) } as MessageEvent))
  }
  close() {
    this.closed = true
    this.bus.members.delete(this)
  }
}

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

function make(opts: Partial<ConstructorParameters<typeof Carousel>[0]> = {}) {
  const steps: number[] = []
  const c = new Carousel({ intervalMs: 10_000, enabled: true, onStep: (s) => steps.push(s), ...opts })
  return { c, steps }
}

describe('Carousel (one window)', () => {
  it('advances every interval', async () => {
    const { c, steps } = make()
    c.start()
    await vi.advanceTimersByTimeAsync(9_999)
    expect(steps).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    expect(steps).toEqual([1])
    await vi.advanceTimersByTimeAsync(20_000)
    expect(steps).toEqual([1, 2, 3])
    c.stop()
    await vi.advanceTimersByTimeAsync(60_000)
    expect(steps).toEqual([1, 2, 3])
  })

  it('pauses while hovered and restarts a full interval after', async () => {
    const { c, steps } = make()
    c.start()
    await vi.advanceTimersByTimeAsync(8_000)
    c.setHover(true)
    expect(c.paused).toBe(true)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(steps).toEqual([])
    c.setHover(false)
    await vi.advanceTimersByTimeAsync(9_000)
    expect(steps).toEqual([])
    await vi.advanceTimersByTimeAsync(1_000)
    expect(steps).toEqual([1])
  })

  it('does not turn when disabled but still jumps on request; bounds the interval', async () => {
    const { c, steps } = make({ enabled: false })
    c.start()
    await vi.advanceTimersByTimeAsync(120_000)
    expect(steps).toEqual([])
    c.advance(5)
    expect(steps).toEqual([5])
    expect(make({ intervalMs: 100 }).c.intervalMs).toBe(5_000)
    expect(make({ intervalMs: 10_000_000 }).c.intervalMs).toBe(600_000)
  })
})

describe('Carousel across windows (BroadcastChannel)', () => {
  it('keeps windows in step: whoever fires first, all adopt the step and restart their timers', async () => {
    const bus = new Bus()
    const a = make({ channel: bus.open(), id: 'a' })
    a.c.start()
    await vi.advanceTimersByTimeAsync(4_000) // b opens 4 s later: its own timer would fire at 14 s
    const b = make({ channel: bus.open(), id: 'b' })
    b.c.start()
    await vi.advanceTimersByTimeAsync(6_000) // a fires at 10 s
    expect(a.steps).toEqual([1])
    expect(b.steps).toEqual([1])
    await vi.advanceTimersByTimeAsync(10_000) // both timers were restarted at 10 s: one more step each, not two
    expect(a.steps).toEqual([1, 2])
    expect(b.steps).toEqual([1, 2])
    expect(a.c.step).toBe(b.c.step)
  })

  it('a window that opens late catches up with the current step', async () => {
    const bus = new Bus()
    const a = make({ channel: bus.open(), id: 'a' })
    a.c.start()
    await vi.advanceTimersByTimeAsync(30_000)
    expect(a.c.step).toBe(3)
    const b = make({ channel: bus.open(), id: 'b' })
    b.c.start()
    await vi.advanceTimersByTimeAsync(0)
    expect(b.c.step).toBe(3)
  })

  it('hovering one window pauses all; leaving resumes; a stale remote pause expires', async () => {
    const bus = new Bus()
    const a = make({ channel: bus.open(), id: 'a' })
    const b = make({ channel: bus.open(), id: 'b' })
    a.c.start()
    b.c.start()
    await vi.advanceTimersByTimeAsync(0)
    a.c.setHover(true)
    await vi.advanceTimersByTimeAsync(0)
    expect(b.c.paused).toBe(true)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(b.steps).toEqual([])
    a.c.setHover(false)
    await vi.advanceTimersByTimeAsync(10_000)
    expect(a.steps).toEqual([1])
    expect(b.steps).toEqual([1])
    // A window that vanished while hovered (no "resume" message) stops pausing the others after the TTL.
    b.c.receive({ type: 'pause', paused: true, from: 'ghost' })
    expect(b.c.paused).toBe(true)
    vi.setSystemTime(Date.now() + REMOTE_PAUSE_TTL_MS + 1)
    expect(b.c.paused).toBe(false)
  })

  it('ignores its own echo and malformed messages', () => {
    const { c, steps } = make({ id: 'me' })
    c.receive({ type: 'step', step: 9, from: 'me' })
    c.receive({ type: 'step', step: Number.NaN, from: 'x' })
    c.receive(null as never)
    expect(steps).toEqual([])
    c.receive({ type: 'step', step: 2.7, from: 'x' })
    expect(steps).toEqual([2])
  })
})
