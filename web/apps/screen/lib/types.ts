// Shapes of the command-center API (docs/api/analytics.md, "Command center").

export interface LayoutDef {
  id: string
  label?: string
  width: number
  height: number
}

export interface ScreenDef {
  id: string
  label?: string
  /** Item names (see ITEM_NAMES) plus "video" for the video grid. */
  panels: string[]
}

export interface StreamDef {
  id: string
  name: string
  url: string
}

export interface ScreenConfig {
  layouts: LayoutDef[]
  defaultItems: string[]
  carousel: { enabled: boolean; intervalSec: number }
  screens: ScreenDef[]
  streams: StreamDef[]
}

export type ItemType = 'bar' | 'pie' | 'line' | 'heatmap' | 'map' | 'kpi' | 'table'

export interface Series {
  name: string
  values: Array<number | null>
  stack?: string
}

export interface KpiTile {
  key: string
  label: string
  value: number | null
  unit: string
  change?: number | null
}

export interface TownshipValue {
  code: string
  name: string
  value: number | null
  alarm?: 'info' | 'warn' | 'alarm' | null
}

export interface WarningItem {
  id: string | number
  level: 'info' | 'warn' | 'alarm'
  title?: string
  message: string
  township?: string
  townshipName?: string
  atMs?: number
}

export interface ItemData {
  // kpi
  tiles?: KpiTile[]
  // bar / line / pie
  categories?: string[]
  series?: Series[]
  horizontal?: boolean
  rate?: { name: string; values: Array<number | null> }
  byType?: Array<{ type: string; accepted: number; completed: number }>
  // heatmap
  x?: string[]
  y?: string[]
  values?: Array<[number, number, number | null]>
  // map
  measure?: string
  townships?: TownshipValue[]
  // table (warnings)
  items?: WarningItem[]
  unit?: string
}

export interface ScreenItem {
  label: string
  type: ItemType
  unit?: string
  note?: string
  scoped?: boolean
  data: ItemData
}

export interface ScreenData {
  asOf: number | string
  items: Record<string, ScreenItem>
}

/** The statistics of R5.2 / R5.3 the screen knows how to draw. */
export const ITEM_NAMES = [
  'kpi',
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
  'township_map',
  'heatmap',
  'warnings',
] as const

/** Panels that are not fetched as items. */
export const VIDEO_PANEL = 'video'
