// The state of the 多维分析 page and everything done to it, as pure functions
// (tested in tests/portal-analytics-pivot.test.ts): fields dragged into the
// rows / columns / filters / measures zones, level changes, drill down and up
// (breadcrumbs), rotation, sort, top-N, compare, thresholds; the query sent to
// POST /api/v1/analytics/query; the URL form that makes a view linkable.
import type {
  AnalyticsQuery,
  AxisRef,
  ChartType,
  CompareType,
  CubeDef,
  DimDef,
  Member,
  QueryFilter,
  QuerySort,
  Threshold,
} from '../../api/analytics'
import { CHART_TYPES } from '../../api/analytics'

export type Zone = 'rows' | 'columns' | 'filters' | 'measures'
export const ZONES: readonly Zone[] = ['filters', 'columns', 'rows', 'measures']

/** What is dragged from the field list or a zone. */
export type FieldRef = { kind: 'dim'; dim: string; level: string } | { kind: 'measure'; name: string }

/** One drill step: the member clicked and the rows and filters before it (restored by drilling up). */
export interface DrillStep {
  dim: string
  level: string
  code: string
  label: string
  rows: AxisRef[]
  filters: QueryFilter[]
}

/** Another dimension (at a level) a member can be drilled by. */
export interface DrillTarget {
  dim: string
  level: string
  label: string
}

export interface PivotState {
  cube: string
  rows: AxisRef[]
  columns: AxisRef[]
  measures: string[]
  filters: QueryFilter[]
  sort?: QuerySort
  limit?: number
  compare?: CompareType
  thresholds: Threshold[]
  chart: ChartType
  drill: DrillStep[]
}

export const LIMITS = { rows: 4, columns: 2, measures: 8, filters: 16 } as const

/** Why an edit was refused (the page shows the matching message). */
export type EditError = 'rowsFull' | 'columnsFull' | 'measuresFull' | 'filtersFull' | 'measureOnly' | 'dimOnly' | 'swapTooMany' | null

export function emptyState(cube = ''): PivotState {
  return { cube, rows: [], columns: [], measures: [], filters: [], thresholds: [], chart: 'table', drill: [] }
}

/** A cube's starting state: its first measure, grand total only (the user drags dimensions in). */
export function initialState(cube: CubeDef): PivotState {
  return { ...emptyState(cube.name), measures: cube.measures.length ? [cube.measures[0].name] : [] }
}

const clone = (s: PivotState): PivotState => JSON.parse(JSON.stringify(s)) as PivotState

export function dimOf(cube: CubeDef | undefined, dim: string): DimDef | undefined {
  return cube?.dims.find((d) => d.name === dim)
}

/** The level below `level` in the dimension's hierarchy, if any. */
export function nextLevel(cube: CubeDef | undefined, dim: string, level: string): string | undefined {
  const levels = dimOf(cube, dim)?.levels ?? []
  const i = levels.findIndex((l) => l.name === level)
  return i >= 0 && i + 1 < levels.length ? levels[i + 1].name : undefined
}

export function levelLabel(cube: CubeDef | undefined, dim: string, level: string): string {
  return dimOf(cube, dim)?.levels.find((l) => l.name === level)?.label ?? level
}

export function isTimeDim(dim: string): boolean {
  return dim === 'time'
}

/**
 * Puts a field into a zone (dropped or clicked). A dimension is in rows and
 * columns at most once: moving it between them keeps its level. Measures only
 * go to the measures zone, dimensions only to the others. Returns the new
 * state, or an error and the state unchanged.
 */
export function addField(state: PivotState, zone: Zone, field: FieldRef, at?: number): { state: PivotState; error: EditError } {
  const s = clone(state)
  if (field.kind === 'measure') {
    if (zone !== 'measures') return { state, error: 'measureOnly' }
    const from = s.measures.indexOf(field.name)
    if (from >= 0) s.measures.splice(from, 1)
    else if (s.measures.length >= LIMITS.measures) return { state, error: 'measuresFull' }
    s.measures.splice(at ?? s.measures.length, 0, field.name)
    return { state: s, error: null }
  }
  if (zone === 'measures') return { state, error: 'dimOnly' }
  const ref: AxisRef = { dim: field.dim, level: field.level }
  if (zone === 'filters') {
    const existing = s.filters.findIndex((f) => f.dim === ref.dim && f.level === ref.level)
    if (existing >= 0) return { state: s, error: null }
    if (s.filters.length >= LIMITS.filters) return { state, error: 'filtersFull' }
    s.filters.push({ dim: ref.dim, level: ref.level, op: isTimeDim(ref.dim) && ref.level === 'month' ? 'between' : 'in', values: [] })
    return { state: s, error: null }
  }
  const target = zone === 'rows' ? s.rows : s.columns
  const other = zone === 'rows' ? s.columns : s.rows
  const inOther = other.findIndex((r) => r.dim === ref.dim)
  const inTarget = target.findIndex((r) => r.dim === ref.dim)
  if (inTarget < 0 && target.length >= LIMITS[zone]) return { state, error: zone === 'rows' ? 'rowsFull' : 'columnsFull' }
  if (inOther >= 0) other.splice(inOther, 1)
  if (inTarget >= 0) target.splice(inTarget, 1)
  const pos = at === undefined ? target.length : Math.min(at, target.length)
  target.splice(pos, 0, ref)
  return { state: s, error: null }
}

/** Takes a field out of a zone. A removed measure that sorted the rows ends the sort. */
export function removeField(state: PivotState, zone: Zone, index: number): PivotState {
  const s = clone(state)
  if (zone === 'measures') {
    const [gone] = s.measures.splice(index, 1)
    if (s.sort?.by === 'measure' && s.sort.measure === gone) delete s.sort
    s.thresholds = s.thresholds.filter((t) => t.measure !== gone)
  } else if (zone === 'filters') {
    s.filters.splice(index, 1)
  } else {
    s[zone].splice(index, 1)
  }
  return s
}

/** Moves a field from one zone to another (drag between zones). */
export function moveField(state: PivotState, from: Zone, index: number, to: Zone, at?: number): { state: PivotState; error: EditError } {
  if (from === to && from !== 'filters') {
    const s = clone(state)
    const list = (from === 'measures' ? s.measures : s[from]) as unknown[]
    const [item] = list.splice(index, 1)
    list.splice(at === undefined ? list.length : Math.min(at, list.length), 0, item)
    return { state: s, error: null }
  }
  const field = fieldAt(state, from, index)
  if (!field) return { state, error: null }
  const added = addField(removeField(state, from, index), to, field, at)
  if (added.error) return { state, error: added.error }
  return added
}

export function fieldAt(state: PivotState, zone: Zone, index: number): FieldRef | undefined {
  if (zone === 'measures') return state.measures[index] ? { kind: 'measure', name: state.measures[index] } : undefined
  const ref = zone === 'filters' ? state.filters[index] : state[zone][index]
  return ref ? { kind: 'dim', dim: ref.dim, level: ref.level } : undefined
}

/** Changes the level of a dimension in rows or columns (e.g. 年 → 月). */
export function setLevel(state: PivotState, zone: 'rows' | 'columns', index: number, level: string): PivotState {
  const s = clone(state)
  if (s[zone][index]) s[zone][index].level = level
  return s
}

export function setFilter(state: PivotState, index: number, filter: Partial<QueryFilter>): PivotState {
  const s = clone(state)
  if (s.filters[index]) s.filters[index] = { ...s.filters[index], ...filter }
  return s
}

/** 旋转: rows become columns and columns rows (refused when more than two dimensions would land in the columns). */
export function swapAxes(state: PivotState): { state: PivotState; error: EditError } {
  if (state.rows.length > LIMITS.columns) return { state, error: 'swapTooMany' }
  const s = clone(state)
  ;[s.rows, s.columns] = [s.columns, s.rows]
  s.drill = []
  return { state: s, error: null }
}

/**
 * Drill down on a row member: filter the dimension to that member at its
 * current level and show the next level (or `to`, another dimension or level:
 * "drill by"). The step remembers the rows and filters before it.
 */
export function drillDown(state: PivotState, cube: CubeDef | undefined, rowDim: number, member: Member, to?: AxisRef): PivotState | null {
  const ref = state.rows[rowDim]
  if (!ref) return null
  const target = to ?? (nextLevel(cube, ref.dim, ref.level) ? { dim: ref.dim, level: nextLevel(cube, ref.dim, ref.level)! } : null)
  if (!target) return null
  const s = clone(state)
  s.drill.push({ dim: ref.dim, level: ref.level, code: member.code, label: member.label, rows: clone(state).rows, filters: clone(state).filters })
  s.filters = s.filters.filter((f) => !(f.dim === ref.dim && f.level === ref.level))
  s.filters.push({ dim: ref.dim, level: ref.level, op: 'in', values: [member.code] })
  if (target.dim !== ref.dim) {
    const elsewhere = s.columns.findIndex((c) => c.dim === target.dim)
    if (elsewhere >= 0) s.columns.splice(elsewhere, 1)
    const inRows = s.rows.findIndex((r, i) => i !== rowDim && r.dim === target.dim)
    if (inRows >= 0) s.rows.splice(inRows, 1)
  }
  const at = s.rows.findIndex((r) => r.dim === ref.dim)
  s.rows[at] = { ...target }
  return s
}

/** Whether a row member can be drilled into the next level of its own dimension. */
export function canDrill(state: PivotState, cube: CubeDef | undefined, rowDim: number): boolean {
  const ref = state.rows[rowDim]
  return !!ref && !!nextLevel(cube, ref.dim, ref.level)
}

/** Back to breadcrumb `depth` (0 = before the first drill): rows and filters as they were then. */
export function drillUp(state: PivotState, depth: number): PivotState {
  if (depth < 0 || depth >= state.drill.length) return state
  const s = clone(state)
  const step = s.drill[depth]
  s.rows = step.rows
  s.filters = step.filters
  s.drill = s.drill.slice(0, depth)
  return s
}

/** Clicking a measure header: descending, then ascending, then the default order. */
export function toggleSort(state: PivotState, measure: string): PivotState {
  const s = clone(state)
  if (s.sort?.by === 'measure' && s.sort.measure === measure) {
    if (s.sort.dir === 'desc') s.sort = { by: 'measure', measure, dir: 'asc' }
    else delete s.sort
  } else {
    s.sort = { by: 'measure', measure, dir: 'desc' }
  }
  return s
}

export function hasTime(state: Pick<PivotState, 'rows' | 'columns'>): boolean {
  return [...state.rows, ...state.columns].some((r) => isTimeDim(r.dim))
}

/** The compares the finest time level on the axes allows (yoy: year/quarter/month; qoq: quarter/month; mom: month). */
export function allowedCompares(state: Pick<PivotState, 'rows' | 'columns'>): CompareType[] {
  const levels = [...state.rows, ...state.columns].filter((r) => isTimeDim(r.dim)).map((r) => r.level)
  const out: CompareType[] = []
  if (levels.some((l) => l === 'year' || l === 'quarter' || l === 'month')) out.push('yoy')
  if (levels.some((l) => l === 'quarter' || l === 'month')) out.push('qoq')
  if (levels.includes('month')) out.push('mom')
  return out
}

/** A filter that constrains something: an empty member list means "all" and is not sent. */
export function activeFilter(f: QueryFilter): boolean {
  if (f.op === 'between') return f.values.length === 2 && !!f.values[0] && !!f.values[1]
  return f.values.length > 0
}

/** The body of POST /api/v1/analytics/query (and of export and saved views). */
export function buildQuery(state: PivotState): AnalyticsQuery {
  const q: AnalyticsQuery = {
    cube: state.cube,
    rows: state.rows.map((r) => ({ dim: r.dim, level: r.level })),
    columns: state.columns.map((c) => ({ dim: c.dim, level: c.level })),
    measures: [...state.measures],
    totals: true,
  }
  const filters = state.filters.filter(activeFilter).map((f) => ({ dim: f.dim, level: f.level, op: f.op, values: [...f.values] }))
  if (filters.length) q.filters = filters
  if (state.sort && (state.sort.by === 'key' || state.measures.includes(state.sort.measure ?? ''))) q.sort = { ...state.sort }
  if (state.limit && state.limit > 0) q.limit = Math.min(10000, Math.floor(state.limit))
  const compare = state.compare && allowedCompares(state).includes(state.compare) ? state.compare : undefined
  if (compare) q.compare = { type: compare }
  const thresholds = state.thresholds.filter(
    (t) => state.measures.includes(t.measure) && Number.isFinite(t.value) && (compare || (t.op !== 'change_lt' && t.op !== 'change_gt')),
  )
  if (thresholds.length) q.thresholds = thresholds.map((t) => ({ ...t }))
  return q
}

/** A saved or linked query back into page state (the drill path is not part of a query). */
export function stateFromQuery(query: AnalyticsQuery, chart: ChartType = 'table'): PivotState {
  return {
    cube: query.cube,
    rows: (query.rows ?? []).map((r) => ({ dim: r.dim, level: r.level })),
    columns: (query.columns ?? []).map((c) => ({ dim: c.dim, level: c.level })),
    measures: [...(query.measures ?? [])],
    filters: (query.filters ?? []).map((f) => ({ ...f, values: [...f.values] })),
    sort: query.sort ? { ...query.sort } : undefined,
    limit: query.limit,
    compare: query.compare?.type,
    thresholds: (query.thresholds ?? []).map((t) => ({ ...t })),
    chart: CHART_TYPES.includes(chart) ? chart : 'table',
    drill: [],
  }
}

// ---- URL form ---------------------------------------------------------------------
// ?q=<JSON of the query> &chart=bar &drill=<JSON of the breadcrumb labels>: a
// linked view opens with the same query; the drill path comes along so its
// breadcrumbs can go back up.

export function toRouteQuery(state: PivotState): Record<string, string> {
  const out: Record<string, string> = { q: JSON.stringify(buildQueryForUrl(state)) }
  if (state.chart !== 'table') out.chart = state.chart
  if (state.drill.length) out.drill = JSON.stringify(state.drill)
  return out
}

/** Like buildQuery but keeps empty filters and every threshold, so the page comes back as it was. */
function buildQueryForUrl(state: PivotState): AnalyticsQuery {
  const q = buildQuery(state)
  if (state.filters.length) q.filters = state.filters
  if (state.thresholds.length) q.thresholds = state.thresholds
  if (state.compare) q.compare = { type: state.compare }
  delete q.totals
  return q
}

export function fromRouteQuery(query: Record<string, unknown>): PivotState | null {
  const raw = typeof query.q === 'string' ? query.q : null
  if (!raw) return null
  try {
    const q = JSON.parse(raw) as AnalyticsQuery
    if (!q || typeof q.cube !== 'string' || !Array.isArray(q.measures)) return null
    const s = stateFromQuery(q, typeof query.chart === 'string' ? (query.chart as ChartType) : 'table')
    if (typeof query.drill === 'string') {
      const drill = JSON.parse(query.drill) as DrillStep[]
      if (Array.isArray(drill)) s.drill = drill.filter((d) => d && typeof d.code === 'string' && Array.isArray(d.rows) && Array.isArray(d.filters))
    }
    return s
  } catch {
    return null
  }
}

/** Drops fields the cube does not have (a link from an older catalogue, a view of a changed cube). */
export function sanitize(state: PivotState, cube: CubeDef): PivotState {
  const s = clone(state)
  const hasLevel = (r: AxisRef) => !!dimOf(cube, r.dim)?.levels.some((l) => l.name === r.level)
  const seen = new Set<string>()
  const axis = (list: AxisRef[], max: number) =>
    list.filter((r) => hasLevel(r) && !seen.has(r.dim) && seen.add(r.dim)).slice(0, max)
  s.rows = axis(s.rows, LIMITS.rows)
  s.columns = axis(s.columns, LIMITS.columns)
  s.filters = s.filters.filter(hasLevel)
  s.measures = [...new Set(s.measures.filter((m) => cube.measures.some((x) => x.name === m)))].slice(0, LIMITS.measures)
  if (!s.measures.length && cube.measures.length) s.measures = [cube.measures[0].name]
  s.thresholds = s.thresholds.filter((t) => s.measures.includes(t.measure))
  if (s.sort?.by === 'measure' && !s.measures.includes(s.sort.measure ?? '')) delete s.sort
  return s
}
