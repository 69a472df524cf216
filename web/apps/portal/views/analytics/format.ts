// Value formatting of the analysis pages: amounts arrive in fen and are shown
// in 元 with thousands separators and two decimals; ratios as percentages;
// counts as integers with separators; null (no rows, division by zero) as —.
import { a } from './i18n/messages'

const int = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0 })
const yuan = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
const one = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 0, maximumFractionDigits: 1 })

export const EMPTY = '—'

/** A measure value for display, without the unit (the header carries it). */
export function formatValue(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return EMPTY
  switch (unit) {
    case 'fen':
      return yuan.format(value / 100)
    case 'ratio':
      return `${(value * 100).toFixed(2)}%`
    case 'day':
    case 'minute':
      return one.format(value)
    default:
      return Number.isInteger(value) ? int.format(value) : one.format(value)
  }
}

/** A value with its unit, for cards and tooltips: "1,234.50 元", "93.00%", "5,230 人". */
export function formatWithUnit(value: number | null | undefined, unit: string): string {
  const v = formatValue(value, unit)
  if (v === EMPTY || unit === 'ratio') return v
  const suffix = a.units[unit] ?? ''
  return suffix ? `${v} ${suffix}` : v
}

/** Large numbers in 万/亿 for KPI cards; amounts in 元 first. */
export function formatCompact(value: number | null | undefined, unit: string): { text: string; suffix: string } {
  if (value === null || value === undefined || !Number.isFinite(value)) return { text: EMPTY, suffix: '' }
  if (unit === 'ratio') return { text: `${(value * 100).toFixed(2)}`, suffix: '%' }
  const base = unit === 'fen' ? value / 100 : value
  const unitText = a.units[unit] ?? ''
  if (Math.abs(base) >= 1e8) return { text: (base / 1e8).toFixed(2), suffix: `${a.units.yi}${unitText}` }
  if (Math.abs(base) >= 1e4) return { text: (base / 1e4).toFixed(2), suffix: `${a.units.wan}${unitText}` }
  return { text: unit === 'fen' ? yuan.format(base) : formatValue(value, unit), suffix: unitText }
}

/** A change ratio: "+12.23%", "-6.10%"; — when unknown. */
export function formatChange(change: number | null | undefined): string {
  if (change === null || change === undefined || !Number.isFinite(change)) return EMPTY
  const pct = (change * 100).toFixed(2)
  return change > 0 ? `+${pct}%` : `${pct}%`
}

/** up / down / flat, for colouring a change. */
export function changeDirection(change: number | null | undefined): 'up' | 'down' | 'flat' {
  if (change === null || change === undefined || !Number.isFinite(change) || Math.abs(change) < 1e-9) return 'flat'
  return change > 0 ? 'up' : 'down'
}

/** The header text of a measure: "缴费金额（元）"; ratios and plain counts without a unit. */
export function measureHeader(label: string, unit: string): string {
  const u = unit === 'fen' ? a.units.fen : unit === 'day' || unit === 'minute' ? a.units[unit] : ''
  return u ? `${label}（${u}）` : label
}

/** The number a chart plots: 元 for fen, percent for ratios, the value otherwise. */
export function chartNumber(value: number | null | undefined, unit: string): number | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null
  if (unit === 'fen') return Math.round(value) / 100
  if (unit === 'ratio') return Math.round(value * 10000) / 100
  return value
}

/** The axis unit of a chart: 元, %, 人 … */
export function chartUnit(unit: string): string {
  if (unit === 'ratio') return '%'
  return a.units[unit] ?? ''
}
