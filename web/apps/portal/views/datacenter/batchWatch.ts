// Follows a running batch: the hub topic `datacenter.batch` pushes progress at
// most every 500 ms; while the WebSocket is not confirmed (or silent for 5 s)
// GET /batches/{id} is polled every 2 s instead. Once the batch is no longer
// running, the full batch is fetched once and the watch ends.
import { datacenterApi, type Batch, type BatchProgress } from '../../api/datacenter'
import type { Id } from '../../api/auth'
import { subscribe } from '../../api/hub'

export const BATCH_TOPIC = 'datacenter.batch'

export interface BatchWatchOptions {
  pollMs?: number
  /** Silence on the socket after which polling resumes. */
  staleMs?: number
  load?: (id: Id) => Promise<Batch>
  now?: () => number
}

export type BatchUpdate = Partial<Batch> & Pick<Batch, 'status'> & { via: 'ws' | 'poll' }

export function watchBatch(batchId: Id, onUpdate: (u: BatchUpdate) => void, options: BatchWatchOptions = {}): () => void {
  const pollMs = options.pollMs ?? 2000
  const staleMs = options.staleMs ?? 5000
  const load = options.load ?? datacenterApi.batch
  const now = options.now ?? Date.now
  let lastPush = 0
  let stopped = false
  let polling = false

  const finish = async () => {
    if (stopped) return
    stop()
    try {
      onUpdate({ ...(await load(batchId)), via: 'poll' })
    } catch {
      /* the last pushed state stays */
    }
  }

  const sub = subscribe(BATCH_TOPIC, (data) => {
    const p = data as BatchProgress
    if (stopped || !p || String(p.batchId) !== String(batchId)) return
    lastPush = now()
    const { batchId: _id, ...rest } = p
    onUpdate({ ...rest, id: batchId, via: 'ws' })
    if (p.status !== 'running') void finish()
  })

  const timer = setInterval(async () => {
    if (stopped || polling) return
    if (sub.active && now() - lastPush < staleMs) return
    polling = true
    try {
      const b = await load(batchId)
      if (stopped) return
      onUpdate({ ...b, via: 'poll' })
      if (b.status !== 'running') stop()
    } catch {
      /* try again on the next tick */
    } finally {
      polling = false
    }
  }, pollMs)

  function stop() {
    stopped = true
    clearInterval(timer)
    sub.close()
  }
  return stop
}
