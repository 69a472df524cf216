// ECharts options drawn from a query result (tested without a browser):
// bar and line (categories = row members, one series per column member and
// measure), pie (first measure by row member), heat map (rows × columns of
// the first measure). Amounts in 元, ratios in %.
import type { ChartType, MeasureDef, QueryResult } from '../../api/analytics'
import { chartNumber, chartUnit, formatValue } from './format'
import { a } from './i18n/messages'

export const PALETTE = ['#1d5fbf', '#22a699', '#f5a623', '#e5553b', '#7b61d1', '#36a3f7', '#8bc34a', '#ff8a65', '#5d7092', '#d48265']

export type ChartOption = Record<string, unknown>
export interface ChartBuild {
  option: ChartOption | null
  /** Why the chart cannot be drawn for this result (shown instead). */
  hint?: string
}

const joinKeys = (keys: { label: string }[]) => keys.map((k) => k.label).join(' / ') || a.pivot.total

/** Row labels (or column labels when the rows are empty) and how to read a measure at each. */
function categoryAxis(result: QueryResult) {
  const rowsUsed = result.rowDims.length > 0
  const labels = rowsUsed ? result.rows.map((r) => joinKeys(r.keys)) : result.colDims.length ? result.columns.map((c) => joinKeys(c.keys)) : [a.pivot.total]
  return { rowsUsed, labels }
}

function valueAt(result: QueryResult, r: number, c: number, m: number): number | null {
  return result.cells[r]?.[c]?.[m] ?? null
}

function tooltipFormatter(measures: MeasureDef[], seriesMeasure: number[]) {
  return (params: unknown) => {
    const list = (Array.isArray(params) ? params : [params]) as { seriesIndex: number; seriesName: string; name: string; marker: string; data: unknown }[]
    if (!list.length) return ''
    const lines = list.map((p) => {
      const m = measures[seriesMeasure[p.seriesIndex] ?? 0]
      const raw = (p.data as { raw?: number | null } | null)?.raw
      return `${p.marker}${p.seriesName}：<b>${formatValue(raw ?? null, m?.unit ?? '')}</b>${m && m.unit !== 'ratio' && a.units[m.unit] ? ` ${a.units[m.unit]}` : ''}`
    })
    return [`<div style="font-weight:600;margin-bottom:4px">${escapeHtml(list[0].name)}</div>`, ...lines].join('<br/>')
  }
}

/** Axis numbers in 万 / 亿 so large amounts stay readable. */
export function axisNumber(v: number): string {
  const abs = Math.abs(v)
  if (abs >= 1e8) return `${+(v / 1e8).toFixed(2)}${a.units.yi}`
  if (abs >= 1e4) return `${+(v / 1e4).toFixed(1)}${a.units.wan}`
  return String(+v.toFixed(2))
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string)
}

function barLine(result: QueryResult, type: 'bar' | 'line', compact: boolean): ChartBuild {
  const { rowsUsed, labels } = categoryAxis(result)
  const measures = result.measures
  const units = [...new Set(measures.map((m) => chartUnit(m.unit)))].slice(0, 2)
  const series: Record<string, unknown>[] = []
  const seriesMeasure: number[] = []
  const colCount = rowsUsed ? Math.max(1, result.columns.length) : 1
  for (let c = 0; c < colCount; c++) {
    measures.forEach((m, mi) => {
      const colLabel = rowsUsed && result.colDims.length ? joinKeys(result.columns[c].keys) : ''
      const name = colLabel ? (measures.length > 1 ? `${colLabel} · ${m.label}` : colLabel) : m.label
      const data = labels.map((_, i) => {
        const raw = rowsUsed ? valueAt(result, i, c, mi) : result.colDims.length ? valueAt(result, 0, i, mi) : valueAt(result, 0, 0, mi)
        return { value: chartNumber(raw, m.unit), raw }
      })
      const axis = Math.max(0, units.indexOf(chartUnit(m.unit)))
      seriesMeasure.push(mi)
      series.push({
        name,
        type,
        data,
        yAxisIndex: Math.min(axis, 1),
        smooth: type === 'line',
        symbolSize: 6,
        barMaxWidth: 36,
        emphasis: { focus: 'series' },
        ...(type === 'line' && colCount * measures.length === 1 ? { areaStyle: { opacity: 0.12 } } : {}),
      })
    })
  }
  const many = labels.length > (compact ? 6 : 10)
  return {
    option: {
      color: PALETTE,
      tooltip: { trigger: 'axis', axisPointer: { type: type === 'bar' ? 'shadow' : 'line' }, formatter: tooltipFormatter(measures, seriesMeasure), confine: true },
      legend: { show: series.length > 1, type: 'scroll', top: 0 },
      grid: { left: 12, right: units.length > 1 ? 12 : 24, top: series.length > 1 ? 36 : 24, bottom: labels.length > 24 && !compact ? 44 : 8, containLabel: true },
      xAxis: {
        type: 'category',
        data: labels,
        axisTick: { alignWithLabel: true },
        axisLabel: { interval: compact ? 'auto' : 0, rotate: many ? 40 : 0, hideOverlap: true, fontSize: compact ? 10 : 12 },
      },
      yAxis: units.map((u, i) => ({
        type: 'value',
        name: compact ? '' : u,
        position: i === 0 ? 'left' : 'right',
        splitLine: { show: i === 0, lineStyle: { type: 'dashed', color: '#e6e9f0' } },
        axisLabel: { fontSize: compact ? 10 : 12, formatter: axisNumber },
      })),
      dataZoom: labels.length > 24 && !compact ? [{ type: 'slider', height: 16, bottom: 4 }, { type: 'inside' }] : [],
      series,
    },
  }
}

function pie(result: QueryResult, compact: boolean): ChartBuild {
  if (!result.rowDims.length && !result.colDims.length) return { option: null, hint: a.pivot.pieNeedsRows }
  const m = result.measures[0]
  if (!m) return { option: null }
  const rowsUsed = result.rowDims.length > 0
  const data = (rowsUsed ? result.rows : result.columns).map((x, i) => {
    const raw = rowsUsed
      ? result.colDims.length ? (result.rowTotals?.[i]?.[0] ?? null) : valueAt(result, i, 0, 0)
      : (result.colTotals?.[i]?.[0] ?? valueAt(result, 0, i, 0))
    return { name: joinKeys(x.keys), value: chartNumber(raw, m.unit), raw }
  })
  return {
    option: {
      color: PALETTE,
      tooltip: {
        trigger: 'item',
        confine: true,
        formatter: (p: { name: string; percent: number; data: { raw: number | null }; marker: string }) =>
          `${p.marker}${escapeHtml(p.name)}<br/>${m.label}：<b>${formatValue(p.data.raw, m.unit)}</b>${m.unit !== 'ratio' && a.units[m.unit] ? ` ${a.units[m.unit]}` : ''}（${p.percent}%）`,
      },
      legend: { type: 'scroll', bottom: 0 },
      series: [
        {
          name: m.label,
          type: 'pie',
          radius: compact ? ['35%', '62%'] : ['36%', '62%'],
          center: ['50%', '46%'],
          avoidLabelOverlap: true,
          itemStyle: { borderColor: '#fff', borderWidth: 2, borderRadius: 4 },
          label: { show: !compact && data.length <= 16, formatter: '{b}\n{d}%', width: 120, overflow: 'truncate' },
          data,
        },
      ],
    },
  }
}

function heatmap(result: QueryResult, compact: boolean): ChartBuild {
  if (!result.rowDims.length || !result.colDims.length) return { option: null, hint: a.pivot.heatmapNeedsColumns }
  const m = result.measures[0]
  const xs = result.columns.map((c) => joinKeys(c.keys))
  const ys = result.rows.map((r) => joinKeys(r.keys))
  const data: { value: [number, number, number | null]; raw: number | null }[] = []
  let min = Infinity
  let max = -Infinity
  result.rows.forEach((_, r) =>
    result.columns.forEach((__, c) => {
      const raw = valueAt(result, r, c, 0)
      const v = chartNumber(raw, m.unit)
      if (v !== null) {
        min = Math.min(min, v)
        max = Math.max(max, v)
      }
      data.push({ value: [c, r, v], raw })
    }),
  )
  if (!Number.isFinite(min)) [min, max] = [0, 1]
  return {
    option: {
      tooltip: {
        confine: true,
        formatter: (p: { data: { value: [number, number, number | null]; raw: number | null } }) =>
          `${escapeHtml(ys[p.data.value[1]])} · ${escapeHtml(xs[p.data.value[0]])}<br/>${m.label}：<b>${formatValue(p.data.raw, m.unit)}</b>`,
      },
      grid: { left: 8, right: compact ? 8 : 70, top: 8, bottom: compact ? 8 : 36, containLabel: true },
      xAxis: { type: 'category', data: xs, splitArea: { show: true }, axisLabel: { rotate: xs.length > 8 ? 40 : 0, fontSize: compact ? 10 : 12 } },
      yAxis: { type: 'category', data: ys, splitArea: { show: true }, axisLabel: { fontSize: compact ? 10 : 12 } },
      visualMap: {
        min,
        max,
        calculable: true,
        orient: 'vertical',
        right: 0,
        top: 'middle',
        show: !compact,
        itemHeight: 160,
        inRange: { color: ['#eef5ff', '#9cc3f5', '#3a7bd5', '#1d4f9c', '#c7000b'] },
        text: [chartUnit(m.unit), ''],
      },
      series: [{ name: m.label, type: 'heatmap', data, label: { show: !compact && xs.length * ys.length <= 120, fontSize: 10, formatter: (p: { data: { raw: number | null } }) => formatValue(p.data.raw, m.unit) }, emphasis: { itemStyle: { shadowBlur: 8, shadowColor: 'rgba(0,0,0,0.3)' } } }],
    },
  }
}

/** The option for `chart` (not 'table'), or a hint why it cannot be drawn. */
export function buildChart(result: QueryResult | null, chart: ChartType, compact = false): ChartBuild {
  if (!result || !result.measures.length) return { option: null }
  if (chart === 'bar' || chart === 'line') return barLine(result, chart, compact)
  if (chart === 'pie') return pie(result, compact)
  if (chart === 'heatmap') return heatmap(result, compact)
  return { option: null }
}
