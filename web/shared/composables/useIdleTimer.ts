import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue'

export interface IdleTimerOptions {
  /** Inactivity after which onIdle runs. */
  timeoutMs: number
  /** How long before the timeout `remainingSeconds` starts counting (for a warning). */
  warnMs?: number
  onIdle: () => void
  /** Only while this returns true does inactivity count (e.g. not on the start screen). */
  active?: () => boolean
  /** DOM events that count as activity. */
  events?: string[]
  target?: EventTarget
}

export interface IdleTimer {
  /** Seconds left before the reset while in the warning window, otherwise null. */
  remainingSeconds: Ref<number | null>
  /** Counts as activity: restarts the countdown. */
  touch: () => void
}

const DEFAULT_EVENTS = ['pointerdown', 'mousedown', 'touchstart', 'keydown', 'wheel', 'input']

/**
 * Inactivity timer for shared terminals: after `timeoutMs` without input it
 * calls onIdle (the kiosk uses it to drop the cardholder's data and go back to
 * the start screen). Checks once a second, so it copes with timers being
 * delayed by a busy page.
 */
export function useIdleTimer(options: IdleTimerOptions): IdleTimer {
  const remainingSeconds = ref<number | null>(null)
  const warnMs = options.warnMs ?? 10_000
  const events = options.events ?? DEFAULT_EVENTS
  let lastActivity = Date.now()
  let ticker: ReturnType<typeof setInterval> | undefined

  const touch = () => {
    lastActivity = Date.now()
    remainingSeconds.value = null
  }

  const check = () => {
    if (options.active && !options.active()) {
      lastActivity = Date.now()
      remainingSeconds.value = null
      return
    }
    const left = options.timeoutMs - (Date.now() - lastActivity)
    if (left <= 0) {
      remainingSeconds.value = null
      lastActivity = Date.now()
      options.onIdle()
    } else if (left <= warnMs) {
      remainingSeconds.value = Math.ceil(left / 1000)
    } else {
      remainingSeconds.value = null
    }
  }

  onMounted(() => {
    const target = options.target ?? window
    for (const e of events) target.addEventListener(e, touch, { passive: true, capture: true })
    lastActivity = Date.now()
    ticker = setInterval(check, 1000)
  })
  onBeforeUnmount(() => {
    const target = options.target ?? window
    for (const e of events) target.removeEventListener(e, touch, { capture: true })
    clearInterval(ticker)
  })

  return { remainingSeconds, touch }
}
