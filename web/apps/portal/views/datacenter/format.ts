// Display helpers of the data center pages: amounts in fen as yuan, YYYYMM
// periods, contribution gaps (断缴), batch progress, code labels, the
// quarantine edit form's checks and the restricted sections of 360° views.
import { fmt, formatDateTime } from '../../i18n/format'
import { messages } from '../../i18n/messages'
import type { Batch, BatchStatus, ContributionMonth, Gap, QualityDimension } from '../../api/datacenter'

const t = messages.dc

// ---- money and periods ---------------------------------------------------------

/** Fen (integer) → "¥1,234.50"; negative → "-¥1,234.50"; nothing → "—". */
export function formatFen(fen: number | string | null | undefined): string {
  if (fen === null || fen === undefined || fen === '') return t.dash
  const n = typeof fen === 'number' ? fen : Number(fen)
  if (!Number.isFinite(n)) return t.dash
  const cents = Math.round(Math.abs(n))
  const yuan = Math.floor(cents / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  const rest = String(cents % 100).padStart(2, '0')
  return `${n < 0 && cents > 0 ? '-' : ''}¥${yuan}.${rest}`
}

/** Fen → yuan as a plain number (for charts). */
export const fenToYuan = (fen: number | null | undefined): number => Math.round(Number(fen ?? 0)) / 100

/** 202403 (number or "202403" / "2024-03") → "2024年03月"; anything else as it came. */
export function formatPeriod(period: number | string | null | undefined): string {
  if (period === null || period === undefined || period === '' || period === 0) return t.dash
  const m = String(period).match(/^(\d{4})-?(\d{2})$/)
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) return String(period)
  return fmt(t.period, { y: m[1], m: m[2] })
}

/** Months since year 0: consecutive periods differ by one (202312 → 202401). */
export function periodIndex(period: number): number {
  return Math.floor(period / 100) * 12 + (period % 100) - 1
}
export function periodFromIndex(index: number): number {
  return Math.floor(index / 12) * 100 + (index % 12) + 1
}
/** Every period from `from` to `to`, both included. */
export function periodRange(from: number, to: number): number[] {
  const out: number[] = []
  for (let i = periodIndex(from); i <= periodIndex(to); i++) out.push(periodFromIndex(i))
  return out
}

// ---- gaps (断缴) ----------------------------------------------------------------

/** The set of periods inside the gaps. */
export function gapPeriods(gaps: readonly Gap[] | null | undefined): Set<number> {
  const out = new Set<number>()
  for (const g of gaps ?? []) for (const p of periodRange(g.from, g.to)) out.add(p)
  return out
}

/** True when the period falls into one of the gaps (highlighted in tables and the chart). */
export function isGapPeriod(period: number, gaps: readonly Gap[] | null | undefined): boolean {
  const i = periodIndex(period)
  return (gaps ?? []).some((g) => periodIndex(g.from) <= i && i <= periodIndex(g.to))
}

/** Gap months of a summary row: the server may send a count or the ranges. */
export function gapMonths(gaps: number | readonly Gap[] | null | undefined): number {
  if (typeof gaps === 'number') return gaps
  return (gaps ?? []).reduce((n, g) => n + (g.months || periodIndex(g.to) - periodIndex(g.from) + 1), 0)
}

/**
 * Gaps computed from the paid months when the server sent none: every month
 * between the first and the last contribution without a paid or due record.
 */
export function findGaps(months: readonly ContributionMonth[]): Gap[] {
  if (!months.length) return []
  const have = new Set(months.map((m) => m.period))
  const sorted = [...have].sort((a, b) => a - b)
  const gaps: Gap[] = []
  let start: number | null = null
  for (const p of periodRange(sorted[0], sorted[sorted.length - 1])) {
    if (!have.has(p)) start ??= p
    else if (start !== null) {
      const to = periodFromIndex(periodIndex(p) - 1)
      gaps.push({ from: start, to, months: periodIndex(to) - periodIndex(start) + 1 })
      start = null
    }
  }
  return gaps
}

export interface TimelinePoint {
  period: number
  label: string
  personalYuan: number
  unitYuan: number
  dueYuan: number
  gap: boolean
}

/** A continuous month axis for the chart: paid parts, unpaid (due) amounts, and gap months as empty bars. */
export function contributionTimeline(months: readonly ContributionMonth[], gaps: readonly Gap[]): TimelinePoint[] {
  if (!months.length && !gaps.length) return []
  const all = [...months.map((m) => m.period), ...gaps.flatMap((g) => [g.from, g.to])]
  const byPeriod = new Map<number, ContributionMonth[]>()
  for (const m of months) byPeriod.set(m.period, [...(byPeriod.get(m.period) ?? []), m])
  const gapSet = gapPeriods(gaps)
  return periodRange(Math.min(...all), Math.max(...all)).map((period) => {
    const rows = byPeriod.get(period) ?? []
    const paid = rows.filter((r) => r.status !== 'due')
    const due = rows.filter((r) => r.status === 'due')
    const sum = (list: ContributionMonth[], key: 'personalFen' | 'unitFen') => fenToYuan(list.reduce((n, r) => n + (r[key] ?? 0), 0))
    return {
      period,
      label: `${Math.floor(period / 100)}-${String(period % 100).padStart(2, '0')}`,
      personalYuan: sum(paid, 'personalFen'),
      unitYuan: sum(paid, 'unitFen'),
      dueYuan: fenToYuan(due.reduce((n, r) => n + (r.personalFen ?? 0) + (r.unitFen ?? 0), 0)),
      gap: gapSet.has(period),
    }
  })
}

// ---- batches and quality --------------------------------------------------------

export type TagType = 'primary' | 'success' | 'warning' | 'danger' | 'info'

export const batchStatusTag: Record<BatchStatus, TagType> = {
  running: 'primary',
  succeeded: 'success',
  failed: 'danger',
  interrupted: 'warning',
}

/** 0–100 (integer) progress of a batch; 0 while the total is unknown, 100 once finished successfully. */
export function progressPercent(b: Pick<Batch, 'progressDone' | 'progressTotal' | 'status'>): number {
  if (b.status === 'succeeded') return 100
  if (!b.progressTotal || b.progressTotal <= 0) return 0
  return Math.max(0, Math.min(100, Math.floor((b.progressDone / b.progressTotal) * 100)))
}

/** Seconds between start and end (or now while running). */
export function batchSeconds(b: Pick<Batch, 'startedAt' | 'finishedAt'>, now = Date.now()): number {
  if (!b.startedAt) return 0
  return Math.max(0, Math.round(((b.finishedAt || now) - b.startedAt) / 1000))
}

export function scoreLevel(score: number): 'good' | 'fair' | 'poor' {
  if (score >= 90) return 'good'
  if (score >= 75) return 'fair'
  return 'poor'
}
export const scoreColor = (score: number) => ({ good: '#2f9e44', fair: '#e8a317', poor: '#d9363e' })[scoreLevel(score)]
export const DIMENSIONS: QualityDimension[] = ['completeness', 'validity', 'consistency', 'timeliness']

// ---- code labels and generic cells ----------------------------------------------

export const label = (map: Record<string, string>, code: unknown): string =>
  code === null || code === undefined || code === '' ? t.dash : (map[String(code)] ?? String(code))

export const systemName = (code: string) => label(t.systems, code)
export const insuranceName = (code: string) => label(t.insuranceTypes, code)
export const divisionName = (code: string | undefined) =>
  code ? (t.divisions.find(([c]) => c === code)?.[1] ?? code) : t.dash

/** Code columns of the standard rows and their label maps. */
const CODE_COLUMNS: Record<string, Record<string, string>> = {
  insuranceType: t.insuranceTypes,
  status: t.statuses,
  gender: t.genders,
  benefitType: t.benefitTypes,
  qualificationStatus: t.qualificationStatuses,
  eventType: t.eventTypes,
  unitType: t.unitTypes,
  caseType: t.caseTypes,
  kind: t.caseKinds,
  industry: t.industries,
  domain: messages.domainNames,
  system: t.systems,
}

/** One cell of a generic table: fen amounts, periods, times, codes, lists. */
export function formatCell(key: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return t.dash
  if (/Fen$/.test(key)) return formatFen(value as number)
  if (key === 'period' || /Period$/.test(key)) return formatPeriod(value as number)
  if (/At$/.test(key) && typeof value === 'number') return formatDateTime(value)
  if (key === 'divisionCode' && typeof value === 'string') return divisionName(value)
  const map = CODE_COLUMNS[key]
  if (Array.isArray(value)) return value.map((v) => (map ? label(map, v) : String(v))).join(t.listSeparator)
  if (map) return label(map, value)
  if (typeof value === 'boolean') return value ? messages.common.yes : messages.common.no
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

/** Columns that a table shows for some rows, in a sensible order: known columns first, ids and lineage last. */
const HIDDEN_COLUMNS = new Set(['id', 'personId', 'unitId', 'attachments', 'divisionCode'])
export function tableColumns(rows: readonly Record<string, unknown>[], preferred: readonly string[] = []): string[] {
  const keys = new Set<string>()
  for (const r of rows) for (const k of Object.keys(r)) keys.add(k)
  const known = Object.keys(t.columns)
  const rank = (k: string) => {
    const p = preferred.indexOf(k)
    if (p >= 0) return p
    const i = known.indexOf(k)
    return 100 + (i >= 0 ? i : 500)
  }
  const hasDivisionName = keys.has('divisionName')
  return [...keys]
    .filter((k) => !HIDDEN_COLUMNS.has(k) || preferred.includes(k) || (k === 'divisionCode' && !hasDivisionName))
    .filter((k) => {
      const v = rows.find((r) => r[k] !== undefined)?.[k]
      return v === null || typeof v !== 'object' || Array.isArray(v)
    })
    .sort((a, b) => rank(a) - rank(b))
}
export const columnTitle = (key: string) => t.columns[key] ?? key

// ---- 360° sections and data scope -----------------------------------------------

/** The business domains a section of a 360° view comes from (query_person.cc, query_unit.cc). */
export const SECTION_DOMAINS: Record<string, string[]> = {
  enrolments: ['shebao', 'jubao', 'jibao'],
  contributions: ['shebao', 'jubao', 'jibao'],
  benefits: ['shebao', 'jubao', 'jibao'],
  employment: ['jiuye'],
  cases: ['jiancha'],
  archives: ['dangan'],
  institution: ['renshi'],
  roster: ['shebao', 'jubao', 'jibao'],
  arrears: ['shebao', 'jubao', 'jibao'],
}

/**
 * A section is "无权查看" when the server left it out (the key is missing or
 * null) or when every domain it comes from is listed in `restricted`.
 */
export function isRestricted(view: object, section: string, restricted: readonly string[] = []): boolean {
  const value = (view as Record<string, unknown>)[section]
  if (value === undefined || value === null) return true
  const domains = SECTION_DOMAINS[section]
  return !!domains && domains.every((d) => restricted.includes(d))
}

export const restrictedText = (restricted: readonly string[]) =>
  fmt(t.restrictedDomains, { domains: restricted.map((d) => label(messages.domainNames, d)).join(t.listSeparator) })

// ---- quarantine edit form -------------------------------------------------------

export type FieldKind = 'idNumber' | 'date' | 'period' | 'amount' | 'mobile' | 'gender' | 'text'

/** What kind of value a source column holds, from its name (dialects of docs/datacenter/sources.md). */
export function columnKind(column: string): FieldKind {
  const kinds = t.quarantine.columnKinds
  for (const kind of Object.keys(kinds) as FieldKind[]) {
    if (kinds[kind].some((name) => name.toLowerCase() === column.trim().toLowerCase())) return kind
  }
  return 'text'
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const ID_CHECK = '10X98765432'

/** GB 11643: 18 characters with a valid check digit and birth date (15-digit old numbers accepted as they are converted). */
export function validIdNumber(value: string): boolean {
  const v = value.trim().toUpperCase()
  if (/^\d{15}$/.test(v)) return validDate(`19${v.slice(6, 8)}-${v.slice(8, 10)}-${v.slice(10, 12)}`)
  if (!/^\d{17}[\dX]$/.test(v)) return false
  const sum = ID_WEIGHTS.reduce((n, w, i) => n + w * Number(v[i]), 0)
  if (ID_CHECK[sum % 11] !== v[17]) return false
  return validDate(`${v.slice(6, 10)}-${v.slice(10, 12)}-${v.slice(12, 14)}`)
}

/** YYYY-MM-DD (or YYYYMMDD, YYYY/M/D) naming a real day. */
export function validDate(value: string): boolean {
  const m = value.trim().match(/^(\d{4})[-/.]?(\d{1,2})[-/.]?(\d{1,2})$/)
  if (!m) return false
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const date = new Date(Date.UTC(y, mo - 1, d))
  return y >= 1900 && date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d
}

export function validPeriod(value: string): boolean {
  const m = value.trim().match(/^(\d{4})-?(\d{2})$/)
  return !!m && Number(m[1]) >= 1900 && Number(m[2]) >= 1 && Number(m[2]) <= 12
}

/** Yuan with at most two decimals; thousands separators allowed. */
export const validAmount = (value: string) => /^-?\d+(\.\d{1,2})?$/.test(value.trim().replace(/,/g, ''))

/** The message key of what is wrong with one edited value, or null. Empty optional values pass. */
export function checkQuarantineValue(column: string, value: string, required = false): string | null {
  const v = (value ?? '').trim()
  if (!v) return required ? 'required' : null
  switch (columnKind(column)) {
    case 'idNumber':
      return validIdNumber(v) ? null : 'idNumber'
    case 'date':
      return validDate(v) ? null : 'date'
    case 'period':
      return validPeriod(v) || /^\d{4}$/.test(v) ? null : 'period'
    case 'amount':
      return validAmount(v) ? null : 'amount'
    case 'mobile':
      return /^1\d{10}$/.test(v) ? null : 'mobile'
    case 'gender':
      return /^(1|2|9|0|M|F)$/i.test(v) || Object.values(t.genders).includes(v) ? null : 'gender'
    default:
      return null
  }
}

/**
 * Checks the whole edit form: every value of a known kind must be valid, the
 * ID number must be present when the record has one, and at least one value
 * must differ from the original record. Returns column → message.
 */
export function validateQuarantineForm(
  original: Record<string, string>,
  edited: Record<string, string>,
): { errors: Record<string, string>; unchanged: boolean } {
  const errors: Record<string, string> = {}
  for (const [column, value] of Object.entries(edited)) {
    const key = checkQuarantineValue(column, value, columnKind(column) === 'idNumber')
    if (key) errors[column] = t.quarantine.invalid[key]
  }
  const unchanged = Object.keys(edited).every((k) => (edited[k] ?? '') === (original[k] ?? ''))
  return { errors, unchanged }
}

/** Five or six space-separated cron fields (the server checks the rest: 400 BAD_CRON). */
export const validCron = (cron: string) => /^(\S+\s+){4,5}\S+$/.test(cron.trim())

// ---- quarantine reasons -----------------------------------------------------------

/**
 * The detail of a quarantine reason: the server writes "<reason text>：<what>"
 * (日期无效：参保日期「2023-13-11」); the code is shown as a tag already, so
 * only the part after the first "：" is repeated. A reason without one is
 * shown as it is unless it only repeats the tag.
 */
export function reasonDetail(reason: string | null | undefined, tag = ''): string {
  const r = (reason ?? '').trim()
  const i = r.indexOf('：')
  if (i >= 0) return r.slice(i + 1)
  return r === tag ? '' : r
}
