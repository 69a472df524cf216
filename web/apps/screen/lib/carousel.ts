// The carousel: a step counter that advances every interval, pauses while the
// pointer is over the screen, and stays in step between windows of the same
// browser on one machine (multi-screen mode) over a BroadcastChannel:
//   {type:"step", step}          a window advanced (or was told to): everyone adopts the step
//                                and restarts its timer, so all windows turn together
//   {type:"pause", paused, from} a window was hovered / left: all windows pause while any is hovered
//   {type:"hello", from}         a window opened; the others answer with {type:"state", step, paused}
// Steps are absolute (not modulo): each display maps the shared step onto its
// own number of groups. Two windows firing at once both send the same step,
// which is harmless because a step is adopted, never incremented on receipt.

export interface ChannelLike {
  postMessage(msg: unknown): void
  close(): void
  onmessage: ((ev: MessageEvent) => void) | null
}

export interface CarouselMessage {
  type: 'step' | 'pause' | 'hello' | 'state'
  from: string
  step?: number
  paused?: boolean
}

export interface CarouselOptions {
  intervalMs: number
  enabled: boolean
  onStep: (step: number) => void
  /** null: no cross-window sync (single window, or BroadcastChannel unavailable). */
  channel?: ChannelLike | null
  id?: string
  now?: () => number
}

export const CHANNEL_NAME = 'hrss-screen-carousel'
/** A remote pause older than this is ignored (a window closed while hovered). */
export const REMOTE_PAUSE_TTL_MS = 5 * 60 * 1000

export function openChannel(): ChannelLike | null {
  try {
    return typeof BroadcastChannel === 'function' ? (new BroadcastChannel(CHANNEL_NAME) as unknown as ChannelLike) : null
  } catch {
    return null
  }
}

export class Carousel {
  step = 0
  private hovered = false
  private remotePauses = new Map<string, number>()
  private timer: ReturnType<typeof setTimeout> | null = null
  private running = false
  readonly id: string
  private readonly now: () => number

  constructor(private readonly opts: CarouselOptions) {
    this.id = opts.id ?? Math.random().toString(36).slice(2, 10)
    this.now = opts.now ?? Date.now
    if (opts.channel) opts.channel.onmessage = (ev) => this.receive(ev.data as CarouselMessage)
  }

  get intervalMs(): number {
    return Math.min(600_000, Math.max(5_000, this.opts.intervalMs || 15_000))
  }

  /** Paused by hover here or in another window. */
  get paused(): boolean {
    if (this.hovered) return true
    const cutoff = this.now() - REMOTE_PAUSE_TTL_MS
    for (const [from, at] of this.remotePauses) if (at < cutoff) this.remotePauses.delete(from)
    return this.remotePauses.size > 0
  }

  start(): void {
    if (this.running) return
    this.running = true
    this.post({ type: 'hello' })
    this.schedule()
  }

  stop(): void {
    this.running = false
    this.clear()
    if (this.hovered) this.post({ type: 'pause', paused: false })
    this.opts.channel?.close()
  }

  /** Pointer entered / left this window's screen. */
  setHover(on: boolean): void {
    if (on === this.hovered) return
    this.hovered = on
    this.post({ type: 'pause', paused: on })
    this.schedule()
  }

  /** Advance now (timer, or a click on the indicator with an explicit step). */
  advance(to = this.step + 1): void {
    this.setStep(to)
    this.post({ type: 'step', step: this.step })
    this.schedule()
  }

  receive(msg: CarouselMessage): void {
    if (!msg || typeof msg !== 'object' || msg.from === this.id) return
    switch (msg.type) {
      case 'step':
        if (typeof msg.step === 'number' && Number.isFinite(msg.step)) {
          this.setStep(msg.step)
          this.schedule()
        }
        break
      case 'pause':
        if (msg.paused) this.remotePauses.set(msg.from, this.now())
        else this.remotePauses.delete(msg.from)
        this.schedule()
        break
      case 'hello':
        this.post({ type: 'state', step: this.step, paused: this.hovered })
        break
      case 'state':
        if (typeof msg.step === 'number' && msg.step > this.step) {
          this.setStep(msg.step)
          this.schedule()
        }
        if (msg.paused) {
          this.remotePauses.set(msg.from, this.now())
          this.schedule()
        }
        break
    }
  }

  private setStep(step: number) {
    const s = Math.max(0, Math.floor(step))
    if (s === this.step) return
    this.step = s
    this.opts.onStep(s)
  }

  private post(msg: Omit<CarouselMessage, 'from'>) {
    try {
      this.opts.channel?.postMessage({ ...msg, from: this.id })
    } catch {
      /* channel closed */
    }
  }

  private clear() {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }

  /** (Re)starts the interval timer from now, unless stopped, disabled or paused. */
  private schedule() {
    this.clear()
    if (!this.running || !this.opts.enabled || this.paused) return
    this.timer = setTimeout(() => {
      this.timer = null
      if (this.running && !this.paused) this.advance()
    }, this.intervalMs)
  }
}
