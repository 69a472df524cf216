// 多维分析 state logic: fields into zones, drill down and up, rotation, sort,
// the query sent to the server and its URL form; value formatting; the chart
// options drawn from a result.
import { describe, expect, it } from 'vitest'
import type { CubeDef, QueryResult } from '../apps/portal/api/analytics'
import {
  addField,
  allowedCompares,
  buildQuery,
  drillDown,
  drillUp,
  fromRouteQuery,
  initialState,
  moveField,
  removeField,
  sanitize,
  swapAxes,
  toggleSort,
  toRouteQuery,
  type PivotState,
} from '../apps/portal/views/analytics/pivot'
import { formatChange, formatCompact, formatValue, measureHeader } from '../apps/portal/views/analytics/format'
import { axisNumber, buildChart } from '../apps/portal/views/analytics/charts'

const cube: CubeDef = {
  name: 'contribution',
  label: '缴费',
  dims: [
    { name: 'region', label: '区域', levels: [{ name: 'county', label: '县' }, { name: 'township', label: '乡镇' }] },
    { name: 'time', label: '时间', levels: [{ name: 'year', label: '年' }, { name: 'quarter', label: '季度' }, { name: 'month', label: '月' }] },
    { name: 'gender', label: '性别', levels: [{ name: 'gender', label: '性别' }] },
    { name: 'age', label: '年龄段', levels: [{ name: 'band', label: '年龄段' }] },
    { name: 'insurance', label: '险种', levels: [{ name: 'scheme', label: '制度' }, { name: 'type', label: '险种' }] },
  ],
  measures: [
    { name: 'amount', label: '缴费金额', unit: 'fen' },
    { name: 'persons', label: '缴费人数', unit: 'person' },
  ],
}
const dim = (d: string, level: string) => ({ kind: 'dim' as const, dim: d, level })
const ok = (r: { state: PivotState; error: unknown }) => {
  expect(r.error).toBeNull()
  return r.state
}

describe('pivot state', () => {
  it('starts with the first measure and no dimensions: a grand total', () => {
    const s = initialState(cube)
    expect(buildQuery(s)).toEqual({ cube: 'contribution', rows: [], columns: [], measures: ['amount'], totals: true })
  })

  it('drops fields into zones; a dimension is in rows or columns once; measures only in 指标', () => {
    let s = ok(addField(initialState(cube), 'rows', dim('region', 'township')))
    s = ok(addField(s, 'columns', dim('time', 'year')))
    expect(s.rows).toEqual([{ dim: 'region', level: 'township' }])
    // Dropping the same dimension into columns moves it (at the level dragged).
    s = ok(addField(s, 'columns', dim('region', 'county')))
    expect(s.rows).toEqual([])
    expect(s.columns.map((c) => c.dim)).toEqual(['time', 'region'])
    expect(addField(s, 'columns', dim('gender', 'gender')).error).toBe('columnsFull')
    expect(addField(s, 'rows', { kind: 'measure', name: 'persons' }).error).toBe('measureOnly')
    expect(addField(s, 'measures', dim('gender', 'gender')).error).toBe('dimOnly')
    s = ok(addField(s, 'measures', { kind: 'measure', name: 'persons' }))
    expect(s.measures).toEqual(['amount', 'persons'])
    // A filter field starts empty ("all") and is not sent until members are chosen.
    s = ok(addField(s, 'filters', dim('insurance', 'scheme')))
    expect(buildQuery(s).filters).toBeUndefined()
    s.filters[0].values = ['jubao']
    expect(buildQuery(s).filters).toEqual([{ dim: 'insurance', level: 'scheme', op: 'in', values: ['jubao'] }])
  })

  it('month filters start as a between range', () => {
    const s = ok(addField(initialState(cube), 'filters', dim('time', 'month')))
    expect(s.filters[0].op).toBe('between')
    s.filters[0].values = ['202401']
    expect(buildQuery(s).filters).toBeUndefined()
    s.filters[0].values = ['202401', '202512']
    expect(buildQuery(s).filters?.[0]).toEqual({ dim: 'time', level: 'month', op: 'between', values: ['202401', '202512'] })
  })

  it('rows hold at most four dimensions', () => {
    let s = initialState(cube)
    for (const [d, l] of [['region', 'township'], ['time', 'year'], ['gender', 'gender'], ['age', 'band']]) s = ok(addField(s, 'rows', dim(d, l)))
    expect(addField(s, 'rows', dim('insurance', 'type')).error).toBe('rowsFull')
  })

  it('moves a field between zones and removes it; removing the sort measure ends the sort', () => {
    let s = ok(addField(initialState(cube), 'rows', dim('region', 'township')))
    s = ok(moveField(s, 'rows', 0, 'filters'))
    expect(s.rows).toEqual([])
    expect(s.filters.map((f) => f.dim)).toEqual(['region'])
    s = ok(addField(s, 'measures', { kind: 'measure', name: 'persons' }))
    s = toggleSort(s, 'persons')
    expect(buildQuery(s).sort).toEqual({ by: 'measure', measure: 'persons', dir: 'desc' })
    s = removeField(s, 'measures', 1)
    expect(s.sort).toBeUndefined()
  })

  it('sorting by a measure header cycles desc → asc → default', () => {
    let s = initialState(cube)
    s = toggleSort(s, 'amount')
    expect(s.sort?.dir).toBe('desc')
    s = toggleSort(s, 'amount')
    expect(s.sort?.dir).toBe('asc')
    s = toggleSort(s, 'amount')
    expect(s.sort).toBeUndefined()
  })

  it('drills down a member to the next level and back up by the breadcrumbs', () => {
    let s = ok(addField(initialState(cube), 'rows', dim('region', 'county')))
    const down = drillDown(s, cube, 0, { code: '511724', label: '大竹县' })!
    expect(down.rows).toEqual([{ dim: 'region', level: 'township' }])
    expect(buildQuery(down).filters).toEqual([{ dim: 'region', level: 'county', op: 'in', values: ['511724'] }])
    expect(down.drill.map((d) => d.label)).toEqual(['大竹县'])
    // The township is the finest level: no further drill on its own dimension, but "drill by" another.
    expect(drillDown(down, cube, 0, { code: '511724001', label: '竹阳街道' })).toBeNull()
    const by = drillDown(down, cube, 0, { code: '511724001', label: '竹阳街道' }, { dim: 'time', level: 'year' })!
    expect(by.rows).toEqual([{ dim: 'time', level: 'year' }])
    expect(buildQuery(by).filters).toEqual([
      { dim: 'region', level: 'county', op: 'in', values: ['511724'] },
      { dim: 'region', level: 'township', op: 'in', values: ['511724001'] },
    ])
    s = drillUp(by, 1)
    expect(s.rows).toEqual([{ dim: 'region', level: 'township' }])
    expect(s.drill).toHaveLength(1)
    s = drillUp(s, 0)
    expect(s.rows).toEqual([{ dim: 'region', level: 'county' }])
    expect(s.filters).toEqual([])
    expect(s.drill).toEqual([])
  })

  it('rotation swaps rows and columns, refused with more than two row dimensions', () => {
    let s = ok(addField(initialState(cube), 'rows', dim('region', 'township')))
    s = ok(addField(s, 'columns', dim('time', 'year')))
    const swapped = ok(swapAxes(s))
    expect(swapped.rows).toEqual([{ dim: 'time', level: 'year' }])
    expect(swapped.columns).toEqual([{ dim: 'region', level: 'township' }])
    s = ok(addField(s, 'rows', dim('gender', 'gender')))
    s = ok(addField(s, 'rows', dim('age', 'band')))
    expect(swapAxes(s).error).toBe('swapTooMany')
  })

  it('sends compare only with time on an axis at a level that has the shift; change thresholds only with compare', () => {
    let s = ok(addField(initialState(cube), 'rows', dim('region', 'township')))
    s = { ...s, compare: 'yoy', thresholds: [{ measure: 'amount', op: 'change_lt', value: -0.05, level: 'warn' }, { measure: 'amount', op: 'gt', value: 100, level: 'info' }] }
    expect(allowedCompares(s)).toEqual([])
    let q = buildQuery(s)
    expect(q.compare).toBeUndefined()
    expect(q.thresholds).toEqual([{ measure: 'amount', op: 'gt', value: 100, level: 'info' }])
    s = ok(addField(s, 'columns', dim('time', 'year')))
    expect(allowedCompares(s)).toEqual(['yoy'])
    q = buildQuery(s)
    expect(q.compare).toEqual({ type: 'yoy' })
    expect(q.thresholds).toHaveLength(2)
    s = { ...s, columns: [{ dim: 'time', level: 'month' }], compare: 'mom', limit: 10 }
    expect(allowedCompares(s)).toEqual(['yoy', 'qoq', 'mom'])
    expect(buildQuery(s).compare).toEqual({ type: 'mom' })
    expect(buildQuery(s).limit).toBe(10)
  })

  it('keeps the view in the URL: the same query and chart come back, with the drill path', () => {
    let s = ok(addField(initialState(cube), 'rows', dim('region', 'county')))
    s = drillDown(s, cube, 0, { code: '511724', label: '大竹县' })!
    s = { ...s, chart: 'bar', compare: undefined }
    const back = fromRouteQuery(toRouteQuery(s))!
    expect(buildQuery(back)).toEqual(buildQuery(s))
    expect(back.chart).toBe('bar')
    expect(back.drill.map((d) => d.code)).toEqual(['511724'])
    expect(fromRouteQuery({ q: '{not json' })).toBeNull()
    expect(fromRouteQuery({})).toBeNull()
  })

  it('drops what the cube does not have from a linked or saved query', () => {
    const s = sanitize(
      { ...initialState(cube), rows: [{ dim: 'region', level: 'village' }, { dim: 'nope', level: 'x' }, { dim: 'time', level: 'year' }], measures: ['gone'], sort: { by: 'measure', measure: 'gone', dir: 'asc' } },
      cube,
    )
    expect(s.rows).toEqual([{ dim: 'time', level: 'year' }])
    expect(s.measures).toEqual(['amount'])
    expect(s.sort).toBeUndefined()
  })
})

describe('value formatting', () => {
  it('amounts in fen show as 元 with thousands separators and two decimals', () => {
    expect(formatValue(123450000, 'fen')).toBe('1,234,500.00')
    expect(formatValue(5, 'fen')).toBe('0.05')
    expect(formatValue(-199, 'fen')).toBe('-1.99')
    expect(measureHeader('缴费金额', 'fen')).toBe('缴费金额（元）')
  })
  it('ratios as percentages, counts with separators, null as a dash', () => {
    expect(formatValue(0.9312, 'ratio')).toBe('93.12%')
    expect(formatValue(5230, 'person')).toBe('5,230')
    expect(formatValue(12.345, 'day')).toBe('12.3')
    expect(formatValue(null, 'fen')).toBe('—')
    expect(formatChange(0.1223)).toBe('+12.23%')
    expect(formatChange(-0.061)).toBe('-6.10%')
    expect(formatChange(null)).toBe('—')
  })
  it('KPI cards use 万 and 亿', () => {
    expect(formatCompact(612345, 'person')).toEqual({ text: '61.23', suffix: '万人' })
    expect(formatCompact(48399013497, 'fen')).toEqual({ text: '4.84', suffix: '亿元' })
    expect(formatCompact(0.93, 'ratio')).toEqual({ text: '93.00', suffix: '%' })
  })
})

const result: QueryResult = {
  cube: 'contribution',
  rowDims: [{ dim: 'region', level: 'township', label: '乡镇' }],
  colDims: [{ dim: 'time', level: 'year', label: '年' }],
  measures: [{ name: 'amount', label: '缴费金额', unit: 'fen' }],
  rows: [{ keys: [{ code: '511724001', label: '竹阳街道' }] }, { keys: [{ code: '511724003', label: '白塔街道' }] }],
  columns: [{ keys: [{ code: '2025', label: '2025年' }] }, { keys: [{ code: '2026', label: '2026年' }] }],
  cells: [[[10000], [20000]], [[30000], [null]]],
  rowTotals: [[30000], [30000]],
}

describe('charts from a result', () => {
  it('bar: categories are the row members, one series per column member, values in 元', () => {
    const { option } = buildChart(result, 'bar')
    const o = option as { xAxis: { data: string[] }; series: { name: string; data: { value: number | null }[] }[]; yAxis: { name: string }[] }
    expect(o.xAxis.data).toEqual(['竹阳街道', '白塔街道'])
    expect(o.series.map((s) => s.name)).toEqual(['2025年', '2026年'])
    expect(o.series[1].data.map((d) => d.value)).toEqual([200, null])
    expect(o.yAxis[0].name).toBe('元')
  })
  it('axis numbers read in 万 and 亿', () => {
    expect(axisNumber(250000000)).toBe('2.5亿')
    expect(axisNumber(35000)).toBe('3.5万')
    expect(axisNumber(120)).toBe('120')
  })
  it('pie uses the row totals; heat map needs rows and columns', () => {
    const pie = buildChart(result, 'pie').option as { series: { data: { name: string; value: number }[] }[] }
    expect(pie.series[0].data).toEqual([expect.objectContaining({ name: '竹阳街道', value: 300 }), expect.objectContaining({ name: '白塔街道', value: 300 })])
    const heat = buildChart(result, 'heatmap').option as { series: { data: { value: unknown[] }[] }[] }
    expect(heat.series[0].data.map((d) => d.value)).toEqual([[0, 0, 100], [1, 0, 200], [0, 1, 300], [1, 1, null]])
    expect(buildChart({ ...result, colDims: [], columns: [{ keys: [] }] }, 'heatmap').hint).toBe('热力图需要在“行”和“列”中各放一个维度')
  })
})
