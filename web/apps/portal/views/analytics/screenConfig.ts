// 大屏配置: the editable draft of the command-center configuration
// (docs/api/analytics.md "Command center"), the PUT body built from it, and
// where a validation message of the server (src/modules/analytics/screen.cc,
// ValidateConfig) belongs on the page.
import { a } from './i18n/messages'
import type { ScreenConfig, ScreenConfigBody, ScreenDef, ScreenLayout, ScreenStream } from '../../api/analytics'

/** Limits of the server's validation. */
export const LIMITS = { defaultItems: 20, panels: 12, screens: 8, streams: 16, label: 32, streamName: 64, url: 512, intervalMin: 5, intervalMax: 600 }
/** Panels the single-screen layout always shows; they do not rotate (web/apps/screen/lib/screens.ts). */
export const FIXED_ITEMS = ['kpi', 'township_map', 'warnings']
export const VIDEO_PANEL = 'video'

let nextKey = 1
/** A screen or stream row of the page; `key` only identifies the row for Vue. */
export type ScreenRow = ScreenDef & { key: number }
export type StreamRow = ScreenStream & { key: number }

export interface Draft {
  layouts: ScreenLayout[]
  defaultItems: string[]
  carousel: { enabled: boolean; intervalSec: number }
  screens: ScreenRow[]
  streams: StreamRow[]
}

const str = (v: unknown) => (typeof v === 'string' ? v : '')

export function draftOf(c: Partial<ScreenConfig>): Draft {
  return {
    layouts: Array.isArray(c.layouts) ? c.layouts.map((l) => ({ ...l })) : [],
    defaultItems: Array.isArray(c.defaultItems) ? c.defaultItems.filter((x) => typeof x === 'string') : [],
    carousel: {
      enabled: c.carousel?.enabled !== false,
      intervalSec: Number.isInteger(c.carousel?.intervalSec) ? Number(c.carousel?.intervalSec) : 15,
    },
    screens: (Array.isArray(c.screens) ? c.screens : []).map((s) => ({
      key: nextKey++,
      id: str(s?.id),
      label: str(s?.label),
      panels: Array.isArray(s?.panels) ? s.panels.filter((p) => typeof p === 'string') : [],
    })),
    streams: (Array.isArray(c.streams) ? c.streams : []).map((s) => ({ key: nextKey++, id: str(s?.id), name: str(s?.name), url: str(s?.url) })),
  }
}

/** The PUT body: the draft without row keys, texts trimmed. */
export function bodyOf(d: Draft): ScreenConfigBody {
  return {
    layouts: d.layouts.map((l) => ({ ...l })),
    defaultItems: [...d.defaultItems],
    carousel: { enabled: d.carousel.enabled, intervalSec: d.carousel.intervalSec },
    screens: d.screens.map((s) => ({ id: s.id.trim(), label: s.label.trim(), panels: [...s.panels] })),
    streams: d.streams.map((s) => ({ id: s.id, name: s.name.trim(), url: s.url.trim() })),
  }
}

/** The smallest n ≥ `from` with `prefix` + n not among `taken`. */
export function freeNumber(prefix: string, taken: string[], from: number): number {
  let n = Math.max(1, from)
  while (taken.includes(`${prefix}${n}`)) n++
  return n
}
/** A screen appended after `taken`: numbered by its position (screen4, 屏幕 4) unless that id is used. */
export const newScreen = (taken: string[], label: (n: number) => string): ScreenRow => {
  const n = freeNumber('screen', taken, taken.length + 1)
  return { key: nextKey++, id: `screen${n}`, label: label(n), panels: [] }
}
export const newStream = (taken: string[]): StreamRow => ({ key: nextKey++, id: `stream${freeNumber('stream', taken, taken.length + 1)}`, name: '', url: '' })

const idOk = (s: string) => /^[A-Za-z0-9_-]{1,32}$/.test(s)
const labelOk = (s: string, max: number) => s.length > 0 && [...s].length <= max
/** Mirrors SafeStreamUrl of the server, only to point at the row it complains about. */
export function streamUrlOk(u: string): boolean {
  if (u.length > LIMITS.url || !(u.startsWith('/media/') || /^https?:\/\//.test(u)) || u.includes('..')) return false
  if (/[\s"'<>\\]/.test(u)) return false
  const path = u.split('?')[0]
  return path.length > 5 && path.endsWith('.m3u8')
}

export type Section = 'general' | 'items' | 'carousel' | 'screens' | 'streams'
export interface Placed {
  section: Section
  /** The row (screen or stream key) the message is about, when it can be told. */
  key?: number
  message: string
}

/**
 * Where the server's validation message belongs: the messages name the field
 * (轮播内容 defaultItems, 轮播… carousel, 屏幕…, 视频流…), screens by label
 * or id; a row with an empty or malformed field is found from the draft.
 */
export function placeError(message: string, d: Draft): Placed {
  const w = a.screenConfig.server
  const body = bodyOf(d)
  const after = (prefix: string) => message.slice(prefix.length)
  if (message.startsWith(w.stream) || message.includes('streams')) {
    let i = -1
    if (message.startsWith(w.streamDup)) i = body.streams.findIndex((s) => s.id === after(w.streamDup))
    else if (message.startsWith(w.streamId)) i = body.streams.findIndex((s) => !idOk(s.id))
    else if (message.startsWith(w.streamName)) i = body.streams.findIndex((s) => !labelOk(s.name, LIMITS.streamName))
    else if (message.startsWith(w.streamUrl)) i = body.streams.findIndex((s) => !streamUrlOk(s.url))
    return { section: 'streams', key: i >= 0 ? d.streams[i].key : undefined, message }
  }
  if (message.startsWith(w.screen) || message.includes('screens')) {
    let i = -1
    if (message.startsWith(w.screenDup)) i = body.screens.map((s) => s.id).lastIndexOf(after(w.screenDup))
    else if (message.startsWith(w.screenId)) i = body.screens.findIndex((s) => !idOk(s.id))
    else if (message.startsWith(w.screenLabel)) i = body.screens.findIndex((s) => !labelOk(s.label, LIMITS.label))
    else {
      const m = message.match(w.screenPanels)
      if (m) i = body.screens.findIndex((s) => s.label === m[1])
    }
    return { section: 'screens', key: i >= 0 ? d.screens[i].key : undefined, message }
  }
  if (w.items.test(message)) return { section: 'items', message }
  if (w.carousel.test(message)) return { section: 'carousel', message }
  return { section: 'general', message }
}
