// Which panels a display shows. Single-screen mode (no ?screen=) shows the
// "hub" arrangement: fixed KPI tiles, township map, warnings and video grid,
// plus five rotating chart slots filled from config.defaultItems. Multi-screen
// mode (?screen=left|center|right or ?screen=N, 1-based) shows one entry of
// config.screens; several displays then show coordinated panel sets and turn
// their carousels in step (the carousel step is shared, see carousel.ts).
import type { ScreenConfig, ScreenDef } from './types'
import { VIDEO_PANEL } from './types'
import { messages } from '../i18n/messages'

/** Panels that never rotate: they keep their own area of the layout. */
export const FIXED_PANELS = ['kpi', 'township_map', 'warnings', VIDEO_PANEL] as const
/** Charts that read best in the hub's wide slot (center bottom). */
export const WIDE_ITEMS = ['outlet_handling', 'heatmap', 'business_monthly', 'staff_volume']

export const DEFAULT_ITEMS = [
  'business_yearly',
  'business_monthly',
  'consultation',
  'query_volume',
  'new_enrolment',
  'transfer',
  'info_maintenance',
  'card_maintenance',
  'retirement',
  'staff_volume',
  'outlet_handling',
  'heatmap',
]

export type Template = 'hub' | 'wall'

export interface ResolvedScreen {
  mode: 'single' | 'multi'
  screen: ScreenDef
  /** 0-based position in config.screens (multi) or 0. */
  index: number
  total: number
  template: Template
  fixed: string[]
  rotating: string[]
}

export type ResolveResult = { ok: true; value: ResolvedScreen } | { ok: false; message: string }

const isFixed = (p: string) => (FIXED_PANELS as readonly string[]).includes(p)
const unique = (list: string[]) => [...new Set(list.filter((x) => typeof x === 'string' && x))]

/** The ?screen= parameter, trimmed; null when absent or empty. */
export function screenParam(search: string): string | null {
  const v = new URLSearchParams(search).get('screen')?.trim()
  return v ? v.slice(0, 40) : null
}

function build(mode: 'single' | 'multi', screen: ScreenDef, index: number, total: number): ResolvedScreen {
  const panels = unique(screen.panels)
  const fixed = panels.filter(isFixed)
  const rotating = panels.filter((p) => !isFixed(p))
  return { mode, screen: { ...screen, panels }, index, total, template: fixed.includes('township_map') ? 'hub' : 'wall', fixed, rotating }
}

/** Resolves the display's screen from the config and the ?screen= parameter. */
export function resolveScreen(config: Pick<ScreenConfig, 'screens' | 'defaultItems'>, param: string | null): ResolveResult {
  const screens = (config.screens ?? []).filter((s) => s && typeof s.id === 'string' && Array.isArray(s.panels))
  if (param === null || param === 'main' && !screens.some((s) => s.id === 'main')) {
    const items = unique(config.defaultItems?.length ? config.defaultItems : DEFAULT_ITEMS).filter((p) => !isFixed(p))
    return { ok: true, value: build('single', { id: 'main', label: '', panels: [...FIXED_PANELS, ...items] }, 0, 1) }
  }
  let index = screens.findIndex((s) => s.id === param)
  if (index < 0 && /^\d{1,3}$/.test(param)) index = Number(param) - 1
  if (index < 0 || index >= screens.length) {
    const e = messages.errors
    const ids = screens.map((s, i) => e.screenId(i + 1, s.id)).join(e.screenIdSep)
    return { ok: false, message: e.screenNotFound(param, ids || e.noScreens) }
  }
  return { ok: true, value: build('multi', screens[index], index, screens.length) }
}

/** Rotating slots of a template: the hub has 3 left, 1 wide (center bottom), 1 right; the wall has 6 cells. */
export function slotCount(s: Pick<ResolvedScreen, 'template' | 'fixed'>): number {
  if (s.template === 'hub') return 5
  return Math.max(0, 6 - s.fixed.length)
}

/**
 * Carousel groups: each group fills every rotating slot. Items wrap around so
 * the last group is full too; with fewer items than slots there is one group.
 * In the hub the wide slot (index 3) gets a WIDE_ITEMS chart whenever one exists.
 */
export function carouselGroups(s: Pick<ResolvedScreen, 'template' | 'fixed' | 'rotating'>): string[][] {
  const slots = slotCount(s)
  const items = s.rotating
  if (!slots || !items.length) return [[]]
  if (s.template === 'hub') {
    const wide = items.filter((i) => WIDE_ITEMS.includes(i))
    const side = items.filter((i) => !WIDE_ITEMS.includes(i))
    if (wide.length && side.length) {
      const sideSlots = Math.min(4, side.length)
      const count = Math.max(Math.ceil(side.length / 4), wide.length)
      return Array.from({ length: count }, (_, g) => {
        const row = Array.from({ length: sideSlots }, (_, k) => side[(g * 4 + k) % side.length])
        row.splice(Math.min(3, row.length), 0, wide[g % wide.length])
        return row
      })
    }
  }
  if (items.length <= slots) return [items.slice()]
  const count = Math.ceil(items.length / slots)
  return Array.from({ length: count }, (_, g) => Array.from({ length: slots }, (_, k) => items[(g * slots + k) % items.length]))
}

/** The group a display shows at a carousel step (steps are shared between displays). */
export function groupAt(groups: string[][], step: number): { index: number; items: string[] } {
  const n = Math.max(1, groups.length)
  const index = ((step % n) + n) % n
  return { index, items: groups[index] ?? [] }
}

/** Every item a display needs (fixed and all groups), for one prefetch. */
export function itemsToFetch(s: Pick<ResolvedScreen, 'fixed' | 'rotating'>): string[] {
  return unique([...s.fixed, ...s.rotating]).filter((p) => p !== VIDEO_PANEL)
}
