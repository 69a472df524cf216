// ECharts options of the data center pages (pure functions; EChart.vue draws them).
import { messages } from '../../i18n/messages'
import { formatDateTime } from '../../i18n/format'
import type { QualitySystem } from '../../api/datacenter'
import { formatFen, formatPeriod, type TimelinePoint } from './format'

const t = messages.dc
const PRIMARY = '#1d5fbf'
const UNIT = '#5b9bea'
const DUE = '#e8a317'
const GAP = '#d9363e'
const PALETTE = [PRIMARY, '#2f9e44', '#e8a317', '#7048e8', '#d9363e', '#0c8599']
const axisLabel = { color: '#606266' }
const splitLine = { lineStyle: { color: '#ebeef5' } }

/** Consecutive gap months → [from, to] index ranges of the axis. */
function gapRanges(points: TimelinePoint[]): [number, number][] {
  const out: [number, number][] = []
  points.forEach((p, i) => {
    if (!p.gap) return
    const last = out[out.length - 1]
    if (last && last[1] === i - 1) last[1] = i
    else out.push([i, i])
  })
  return out
}

/** Stacked monthly bars (personal + unit), unpaid amounts, gap months shaded red. */
export function contributionOption(points: TimelinePoint[]): Record<string, unknown> {
  const labels = points.map((p) => p.label)
  const gaps = gapRanges(points)
  const many = points.length > 48
  return {
    color: [PRIMARY, UNIT, DUE],
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (items: { dataIndex: number; seriesName: string; value: number; marker: string }[]) => {
        const p = points[items[0]?.dataIndex ?? 0]
        if (!p) return ''
        const head = `${formatPeriod(p.period)}${p.gap ? ` <b style="color:${GAP}">${t.person.chartGap}</b>` : ''}`
        return [head, ...items.filter((i) => i.value).map((i) => `${i.marker}${i.seriesName}：${formatFen(Math.round(i.value * 100))}`)].join('<br/>')
      },
    },
    legend: { top: 0, right: 8, data: [t.person.chartPersonal, t.person.chartUnit, t.person.chartDue, t.person.chartGap] },
    grid: { left: 64, right: 24, top: 40, bottom: many ? 64 : 32 },
    xAxis: { type: 'category', data: labels, axisLabel, axisTick: { alignWithLabel: true } },
    yAxis: { type: 'value', axisLabel: { ...axisLabel, formatter: (v: number) => `¥${v}` }, splitLine },
    dataZoom: many ? [{ type: 'slider', height: 18, bottom: 10, startValue: Math.max(0, points.length - 120) }, { type: 'inside' }] : [],
    series: [
      { name: t.person.chartPersonal, type: 'bar', stack: 'paid', barMaxWidth: 18, data: points.map((p) => p.personalYuan) },
      { name: t.person.chartUnit, type: 'bar', stack: 'paid', barMaxWidth: 18, data: points.map((p) => p.unitYuan) },
      { name: t.person.chartDue, type: 'bar', stack: 'paid', barMaxWidth: 18, data: points.map((p) => p.dueYuan) },
      {
        name: t.person.chartGap,
        type: 'bar',
        data: [],
        itemStyle: { color: GAP },
        markArea: {
          silent: true,
          itemStyle: { color: 'rgba(217, 54, 62, 0.12)' },
          label: { show: true, color: GAP, position: 'insideTop', fontSize: 11 },
          data: gaps.map(([a, b]) => [{ xAxis: labels[a], name: t.person.chartGap }, { xAxis: labels[b] }]),
        },
      },
    ],
  }
}

/** A unit's monthly contributions: amount bars and persons line. */
export function unitContributionOption(byMonth: { period: number; persons: number; totalFen: number }[]): Record<string, unknown> {
  const labels = byMonth.map((m) => `${Math.floor(m.period / 100)}-${String(m.period % 100).padStart(2, '0')}`)
  return {
    color: [PRIMARY, DUE],
    tooltip: { trigger: 'axis' },
    legend: { top: 0, right: 8, data: [t.unit.chartTotal, t.unit.chartPersons] },
    grid: { left: 72, right: 56, top: 40, bottom: 32 },
    xAxis: { type: 'category', data: labels, axisLabel },
    yAxis: [
      { type: 'value', axisLabel: { ...axisLabel, formatter: (v: number) => `¥${v}` }, splitLine },
      { type: 'value', axisLabel, splitLine: { show: false }, minInterval: 1 },
    ],
    series: [
      { name: t.unit.chartTotal, type: 'bar', barMaxWidth: 22, data: byMonth.map((m) => m.totalFen / 100) },
      { name: t.unit.chartPersons, type: 'line', yAxisIndex: 1, smooth: true, data: byMonth.map((m) => m.persons) },
    ],
  }
}

/** Quality score per batch, one line per source system. */
export function qualityTrendOption(systems: QualitySystem[]): Record<string, unknown> {
  return {
    color: PALETTE,
    tooltip: {
      trigger: 'axis',
      valueFormatter: (v: number) => String(v),
    },
    legend: { top: 0, right: 8, data: systems.map((s) => s.name) },
    grid: { left: 48, right: 24, top: 40, bottom: 32 },
    xAxis: { type: 'time', axisLabel: { ...axisLabel, formatter: (v: number) => formatDateTime(v, false).slice(5, 10) } },
    yAxis: { type: 'value', min: (v: { min: number }) => Math.max(0, Math.floor(v.min / 10) * 10 - 10), max: 100, axisLabel, splitLine },
    series: systems.map((s) => ({
      name: s.name,
      type: 'line',
      smooth: true,
      symbolSize: 6,
      data: s.batches.map((b) => [b.at, b.score]),
    })),
  }
}
