// REST calls of the big screen (docs/api/analytics.md, "Command center").
import { ApiError, http } from '@shared/api/http'
import type { ScreenConfig, ScreenData } from './types'
import { DEFAULT_LAYOUTS } from './layout'
import { DEFAULT_ITEMS } from './screens'
import { messages } from '../i18n/messages'

export const MAX_ITEMS_PER_REQUEST = 20

/** Fills what an older or partial config leaves out. */
export function normalizeConfig(raw: Partial<ScreenConfig> | null | undefined): ScreenConfig {
  const c = raw ?? {}
  const interval = Number(c.carousel?.intervalSec)
  return {
    layouts: Array.isArray(c.layouts) && c.layouts.length ? c.layouts : DEFAULT_LAYOUTS,
    defaultItems: Array.isArray(c.defaultItems) && c.defaultItems.length ? c.defaultItems : DEFAULT_ITEMS,
    carousel: {
      enabled: c.carousel?.enabled !== false,
      intervalSec: Number.isFinite(interval) ? Math.min(600, Math.max(5, interval)) : 15,
    },
    screens: Array.isArray(c.screens) ? c.screens : [],
    streams: Array.isArray(c.streams) ? c.streams.filter((s) => s && typeof s.url === 'string') : [],
  }
}

export async function fetchConfig(): Promise<ScreenConfig> {
  return normalizeConfig(await http.get<Partial<ScreenConfig>>('/api/v1/screen/config'))
}

/** GET /api/v1/screen/data for any number of items (sent in chunks of 20). */
export async function fetchData(items: string[]): Promise<ScreenData> {
  const chunks: string[][] = []
  for (let i = 0; i < items.length; i += MAX_ITEMS_PER_REQUEST) chunks.push(items.slice(i, i + MAX_ITEMS_PER_REQUEST))
  const parts = await Promise.all(chunks.map((c) => http.get<ScreenData>('/api/v1/screen/data', { query: { items: c.join(',') } })))
  const out: ScreenData = { asOf: 0, items: {} }
  for (const p of parts) {
    Object.assign(out.items, p?.items ?? {})
    if (p?.asOf && (!out.asOf || String(p.asOf) > String(out.asOf))) out.asOf = p.asOf
  }
  return out
}

/** The portal's login page, coming back to this very screen (same origin path only). */
export function loginUrl(loc: Pick<Location, 'pathname' | 'search'>): string {
  return `/portal/login?redirect=${encodeURIComponent(loc.pathname + loc.search)}`
}

export function isUnauthenticated(err: unknown): boolean {
  return err instanceof ApiError && err.status === 401 && err.code !== 'REAUTH_REQUIRED'
}

/** Chinese wording for a failed request. */
export function errorText(err: unknown): string {
  const e = messages.errors
  if (err instanceof ApiError) {
    if (err.status === 403) return e.forbidden
    if (err.status === 503) return e.preparing
    if (err.code === 'NETWORK_ERROR') return e.network
    if (err.code === 'TIMEOUT') return e.timeout
    if (err.fromServer && /[\u4e00-\u9fa5]/.test(err.message)) return err.message
    return e.failedWith(err.status || err.code)
  }
  return e.failed
}
