// 人社大数据分析 (docs/api/analytics.md): cubes, pivot queries, Excel export,
// saved views and the workbench, domain views. Paths under /api/v1/analytics.
// Amounts arrive in fen, ratios as fractions (0.93 = 93%), periods as codes
// ("2025", "2025Q1" or whatever the server names a quarter, "202503").
import { ApiError, CSRF_COOKIE, CSRF_HEADER, http, readCookie } from '@shared/api/http'

const A = '/api/v1/analytics'

export interface LevelDef {
  name: string
  label: string
}
export interface CubeMember {
  code: string
  label: string
  parents?: string[]
}
export interface DimDef {
  name: string
  label: string
  levels: LevelDef[]
  members?: CubeMember[]
}
export interface MeasureDef {
  name: string
  label: string
  /** fen | person | count | ratio | day | minute | … */
  unit: string
}
export interface CubeDef {
  name: string
  label: string
  dims: DimDef[]
  measures: MeasureDef[]
  rows?: number
  version?: number
  refreshedAtMs?: number
}

export interface AxisRef {
  dim: string
  level: string
}
export type FilterOp = 'in' | 'not_in' | 'between' | 'eq'
export interface QueryFilter {
  dim: string
  level: string
  op: FilterOp
  values: string[]
}
export interface QuerySort {
  by: 'measure' | 'key'
  measure?: string
  dir: 'asc' | 'desc'
}
export type CompareType = 'yoy' | 'mom' | 'qoq'
export type ThresholdOp = 'lt' | 'gt' | 'change_lt' | 'change_gt'
export type WarnLevel = 'info' | 'warn' | 'alarm'
export interface Threshold {
  measure: string
  op: ThresholdOp
  value: number
  level: WarnLevel
  message?: string
}
export interface AnalyticsQuery {
  cube: string
  rows: AxisRef[]
  columns: AxisRef[]
  measures: string[]
  filters?: QueryFilter[]
  sort?: QuerySort
  limit?: number
  compare?: { type: CompareType }
  thresholds?: Threshold[]
  totals?: boolean
}

export interface Member {
  code: string
  label: string
}
export interface ResultAxisDim extends AxisRef {
  label: string
}
export interface ResultWarning {
  row: number
  col: number
  measure: string
  level: WarnLevel
  value: number | null
  message?: string
}
export type Cell = (number | null)[]
export interface QueryResult {
  cube: string
  version?: number
  cached?: boolean
  elapsedUs?: number
  scoped?: boolean
  rowDims: ResultAxisDim[]
  colDims: ResultAxisDim[]
  measures: MeasureDef[]
  rows: { keys: Member[] }[]
  columns: { keys: Member[] }[]
  cells: Cell[][]
  prev?: Cell[][]
  change?: Cell[][]
  rowTotals?: Cell[]
  colTotals?: Cell[]
  grandTotal?: Cell
  warnings?: ResultWarning[]
}

export type ChartType = 'table' | 'bar' | 'line' | 'pie' | 'heatmap'
export const CHART_TYPES: readonly ChartType[] = ['table', 'bar', 'line', 'pie', 'heatmap']

export interface SavedView {
  id: number | string
  name: string
  description?: string
  query: AnalyticsQuery
  chart: ChartType
  pinned: boolean
  shared: boolean
  owner: number | string
  ownerName?: string
  updatedAtMs?: number
}
export interface SaveViewBody {
  name: string
  description?: string
  query: AnalyticsQuery
  chart: ChartType
  shared?: boolean
}
export interface WorkbenchItem {
  view: SavedView
  result: QueryResult | null
  /** Why the view's query failed (result null). */
  error?: string
}

export interface DomainSummary {
  code: string
  label: string
  sections: { code: string; label: string }[]
}
export interface Indicator {
  code: string
  label: string
  value: number | null
  unit: string
  prev?: number | null
  change?: number | null
  compare?: CompareType
  /** The indicator's query failed (value null). */
  error?: string
}
export interface DomainChart {
  code: string
  label: string
  type: ChartType
  query: AnalyticsQuery
  result: QueryResult
}
export interface Ranking {
  code: string
  label: string
  unit: string
  items: { code: string; label: string; value: number | null; rank: number }[]
}
export interface DomainWarning {
  level: WarnLevel
  code: string
  message: string
  region?: string
}
export interface DomainSection {
  code: string
  label: string
  /** How the section is computed where data are partial (e.g. 医疗报销 from enrolment until claims are collected). */
  note?: string
  indicators: Indicator[]
  charts: DomainChart[]
  rankings: Ranking[]
  warnings: DomainWarning[]
}
export interface DomainView {
  code: string
  label: string
  asOf: string
  scoped?: boolean
  sections: DomainSection[]
}

/** Command center (docs/api/analytics.md "Command center"): the big screen's configuration. */
export interface ScreenLayout {
  id: string
  label: string
  width: number
  height: number
}
export interface ScreenDef {
  id: string
  label: string
  /** Item names of the catalogue, or "video" for the video grid. */
  panels: string[]
}
export interface ScreenStream {
  id: string
  name: string
  url: string
}
export interface ScreenItemDef {
  name: string
  label: string
  type: string
}
/** The body of PUT /api/v1/screen/config. */
export interface ScreenConfigBody {
  layouts: ScreenLayout[]
  defaultItems: string[]
  carousel: { enabled: boolean; intervalSec: number }
  screens: ScreenDef[]
  streams: ScreenStream[]
}
/** GET adds the item catalogue and, once saved, who saved it and when. */
export interface ScreenConfig extends ScreenConfigBody {
  items?: ScreenItemDef[]
  updatedBy?: string
  /** Display name of updatedBy. */
  updatedByName?: string
  updatedAtMs?: number
}

const items = <T>(body: unknown): T[] => ((body as { items?: T[] } | null)?.items ?? [])
const seg = (id: number | string) => encodeURIComponent(String(id))

/**
 * POST a query to the export route and hand the XLSX to the browser as a
 * download named `filename` (the server's Content-Disposition name wins when
 * it sends one). Errors come back as ApiError like every other call.
 */
async function downloadExport(query: AnalyticsQuery, filename: string): Promise<string> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/octet-stream, application/json' }
  const token = readCookie(CSRF_COOKIE)
  if (token) headers[CSRF_HEADER] = token
  let response: Response
  try {
    response = await fetch(`${A}/export`, { method: 'POST', headers, body: JSON.stringify(query), credentials: 'include' })
  } catch (err) {
    throw new ApiError(0, 'NETWORK_ERROR', `network error: POST ${A}/export: ${String(err)}`)
  }
  if (!response.ok) {
    let body: { code?: string; message?: string; requestId?: string; error?: { code?: string; message?: string } } | null = null
    try {
      body = await response.json()
    } catch {
      body = null
    }
    const e = body?.error ?? body
    if (e?.code && e.message) throw new ApiError(response.status, e.code, e.message, body?.requestId)
    throw new ApiError(response.status, `HTTP_${response.status}`, `HTTP ${response.status}`)
  }
  const name = dispositionName(response.headers.get('content-disposition')) || filename
  const blob = await response.blob()
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.style.display = 'none'
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
  return name
}

/** The file name of a Content-Disposition header (RFC 5987 filename* first). */
export function dispositionName(header: string | null): string {
  if (!header) return ''
  const star = header.match(/filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/)
  if (star) {
    try {
      return decodeURIComponent(star[1].trim())
    } catch {
      /* fall through */
    }
  }
  const plain = header.match(/filename\s*=\s*"?([^";]+)"?/)
  return plain ? plain[1].trim() : ''
}

export const analyticsApi = {
  cubes: async () => ((await http.get<{ cubes?: CubeDef[] }>(`${A}/cubes`))?.cubes ?? []),
  query: (query: AnalyticsQuery, signal?: AbortSignal) => http.post<QueryResult>(`${A}/query`, query, { signal, timeoutMs: 60_000 }),
  exportXlsx: downloadExport,
  views: async () => items<SavedView>(await http.get(`${A}/views`)),
  createView: (body: SaveViewBody) => http.post<SavedView>(`${A}/views`, body),
  updateView: (id: number | string, body: SaveViewBody) => http.put<SavedView>(`${A}/views/${seg(id)}`, body),
  deleteView: (id: number | string) => http.delete<unknown>(`${A}/views/${seg(id)}`),
  pin: (id: number | string, pinned: boolean) => http.post<SavedView>(`${A}/views/${seg(id)}/pin`, { pinned }),
  workbench: async () => items<WorkbenchItem>(await http.get(`${A}/workbench`)),
  domains: async () => items<DomainSummary>(await http.get(`${A}/domains`)),
  domain: (code: string, month?: string) =>
    http.get<DomainView>(`${A}/domains/${seg(code)}`, { query: { month: month || undefined, year: month ? month.slice(0, 4) : undefined } }),
  /** Needs screen:view. */
  screenConfig: () => http.get<ScreenConfig>('/api/v1/screen/config'),
  /** Needs screen:manage; answers the saved (normalized) configuration, without the item catalogue. */
  saveScreenConfig: (body: ScreenConfigBody) => http.put<ScreenConfig>('/api/v1/screen/config', body),
}
