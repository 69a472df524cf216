import { messages } from '../i18n/messages'

const w = messages.workbench

/** 93784 → "1天 2小时 3分钟"; under a minute → "N秒". */
export function formatUptime(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds))
  const days = Math.floor(s / 86400)
  const hours = Math.floor((s % 86400) / 3600)
  const minutes = Math.floor((s % 3600) / 60)
  if (days === 0 && hours === 0 && minutes === 0) return `${s}${w.uptimeSeconds}`
  const parts: string[] = []
  if (days) parts.push(`${days}${w.uptimeDays}`)
  if (days || hours) parts.push(`${hours}${w.uptimeHours}`)
  parts.push(`${minutes}${w.uptimeMinutes}`)
  return parts.join(' ')
}

/** A storage entry of /healthz is either "ok" or {status:"ok", ...}. */
export function storageStatus(value: unknown): string {
  if (typeof value === 'string') return value
  if (typeof value === 'boolean') return value ? 'ok' : 'down'
  if (value && typeof value === 'object' && 'status' in value) return String((value as { status: unknown }).status)
  return 'unknown'
}

/**
 * The stores of /healthz `storage`: one entry per key ({relational: "ok", ...}),
 * or, when the server reports its single store as one object
 * ({driver: "sqlite", ok: true, latencyMicros, ...}), that one store named by its driver.
 */
export function storageEntries(storage: Record<string, unknown> | undefined): { key: string; status: string }[] {
  if (!storage) return []
  if (typeof storage.ok === 'boolean' || typeof storage.driver === 'string') {
    const status = typeof storage.status === 'string' ? storage.status : storage.ok === false ? 'down' : 'ok'
    return [{ key: typeof storage.driver === 'string' ? storage.driver : 'relational', status }]
  }
  return Object.entries(storage).map(([key, value]) => ({ key, status: storageStatus(value) }))
}
