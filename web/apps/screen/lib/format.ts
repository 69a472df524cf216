// Number and time formatting for the big screen (zh-CN).
import { messages } from '../i18n/messages'

const units = messages.units

/** Amounts arrive in fen; the screen shows 元 / 万元 / 亿元. */
export function formatValue(v: number | null | undefined, unit = ''): { text: string; unit: string } {
  if (v === null || v === undefined || !Number.isFinite(v)) {
    return { text: '—', unit: unit === 'fen' ? units.yuan : messages.unitNames[unit] ?? unit }
  }
  if (unit === 'fen') {
    const yuan = v / 100
    if (Math.abs(yuan) >= 1e8) return { text: (yuan / 1e8).toFixed(2), unit: units.yiYuan }
    if (Math.abs(yuan) >= 1e4) return { text: (yuan / 1e4).toFixed(2), unit: units.wanYuan }
    return { text: yuan.toFixed(2), unit: units.yuan }
  }
  if (unit === '%' || unit === 'ratio') return { text: (unit === 'ratio' ? v * 100 : v).toFixed(1), unit: '%' }
  return {
    text: Number.isInteger(v) ? v.toLocaleString('zh-CN') : v.toLocaleString('zh-CN', { maximumFractionDigits: 2 }),
    unit: messages.unitNames[unit] ?? unit,
  }
}

/** Compact axis labels: 12,345 → 1.2万. */
export function compact(v: number): string {
  const a = Math.abs(v)
  if (a >= 1e8) return `${+(v / 1e8).toFixed(1)}${units.yi}`
  if (a >= 1e4) return `${+(v / 1e4).toFixed(1)}${units.wan}`
  return String(v)
}

/** +2.1% / −0.4% for a change ratio; '' when unknown. */
export function formatChange(r: number | null | undefined): string {
  if (r === null || r === undefined || !Number.isFinite(r)) return ''
  const pct = (r * 100).toFixed(1)
  return r > 0 ? `+${pct}%` : r < 0 ? `−${pct.slice(1)}%` : '0.0%'
}

const pad = (n: number) => String(n).padStart(2, '0')

/** "2026-05-12 14:03" from epoch ms or an ISO string; '' when unknown. */
export function formatAsOf(asOf: number | string | undefined | null): string {
  if (asOf === undefined || asOf === null || asOf === '') return ''
  const d = new Date(typeof asOf === 'number' ? asOf : Date.parse(asOf))
  if (Number.isNaN(d.getTime())) return String(asOf)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}

export function formatClock(d: Date): string {
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
}
