// Platform endpoints that are not under /api/v1.
import { http } from '@shared/api/http'

/** GET /healthz: {"status":"ok","version":"...","uptimeSeconds":N,"storage":{...}} */
export interface HealthReport {
  status: string
  version?: string
  uptimeSeconds?: number
  /** One entry per store; a value is a status string or an object with at least `status`. */
  storage?: Record<string, unknown>
}

export const platformApi = {
  health: () => http.get<HealthReport>('/healthz', { timeoutMs: 8000 }),
}
