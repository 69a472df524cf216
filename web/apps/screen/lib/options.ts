// Item data (docs/api/analytics.md, "Item data shapes") → ECharts options.
// Pure functions of the data and the layout unit u: every font size, line
// width, symbol and gap is a design size times u, so charts drawn at 3840×2160
// have the same proportions as at 1920×1080 and stay sharp.
import type { ItemData, ScreenItem } from './types'
import { compact } from './format'
import { messages as t, OUTLET_SUFFIX } from '../i18n/messages'

export const PALETTE = ['#3fd0ff', '#ffc53d', '#36e3a4', '#9d7bff', '#ff7a45', '#ff5c8a', '#5b8ff9', '#c6e94f']
const AXIS = 'rgba(150, 200, 255, 0.45)'
const TEXT = '#cfe3ff'
const SPLIT = 'rgba(120, 170, 255, 0.14)'

type Opt = Record<string, unknown>

const size = (n: number, u: number) => Math.max(1, Math.round(n * u * 10) / 10)

function unitLabel(unit: string | undefined): string {
  return unit === 'fen' ? t.units.yuan : unit ?? ''
}

/** Values for display: fen → 元. */
function scaleValues(values: Array<number | null>, unit?: string): Array<number | null> {
  return unit === 'fen' ? values.map((v) => (v === null ? null : v / 100)) : values
}

function base(u: number, item: ScreenItem): Opt {
  return {
    backgroundColor: 'transparent',
    color: PALETTE,
    animationDuration: 600,
    textStyle: { color: TEXT, fontSize: size(14, u) },
    tooltip: {
      trigger: 'axis',
      backgroundColor: 'rgba(4, 22, 52, 0.92)',
      borderColor: 'rgba(63, 208, 255, 0.6)',
      borderWidth: size(1, u),
      textStyle: { color: '#fff', fontSize: size(14, u) },
      valueFormatter: (v: unknown) => (typeof v === 'number' ? `${v.toLocaleString('zh-CN')} ${unitLabel(item.unit ?? item.data.unit)}` : '—'),
    },
  }
}

function legend(u: number, names: string[]): Opt {
  return {
    show: names.length > 1,
    top: 0,
    right: 0,
    itemWidth: size(14, u),
    itemHeight: size(8, u),
    itemGap: size(14, u),
    textStyle: { color: TEXT, fontSize: size(13, u) },
    data: names,
  }
}

function categoryAxis(u: number, data: string[], extra: Opt = {}): Opt {
  return {
    type: 'category',
    data,
    axisLine: { lineStyle: { color: AXIS, width: size(1, u) } },
    axisTick: { show: false },
    axisLabel: { color: TEXT, fontSize: size(12, u), margin: size(8, u), hideOverlap: true },
    ...extra,
  }
}

function valueAxis(u: number, extra: Opt = {}): Opt {
  return {
    type: 'value',
    splitNumber: 4,
    axisLabel: { color: TEXT, fontSize: size(12, u), formatter: (v: number) => compact(v) },
    splitLine: { lineStyle: { color: SPLIT, width: size(1, u), type: 'dashed' } },
    ...extra,
  }
}

const gradient = (top: string, bottom: string, horizontal = false) => ({
  type: 'linear',
  x: 0,
  y: horizontal ? 0 : 0,
  x2: horizontal ? 1 : 0,
  y2: horizontal ? 0 : 1,
  colorStops: [
    { offset: 0, color: horizontal ? bottom : top },
    { offset: 1, color: horizontal ? top : bottom },
  ],
})

function fade(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16)
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`
}

export function barOption(item: ScreenItem, u: number): Opt {
  const d = item.data
  const cats = d.categories ?? []
  const series = d.series ?? []
  const horizontal = !!d.horizontal
  const unit = item.unit ?? d.unit
  const stacked = series.some((s) => s.stack)
  const barWidth = size(Math.max(6, Math.min(18, 220 / Math.max(1, cats.length * Math.max(1, stacked ? 1 : series.length)))), u)
  const catAxis = categoryAxis(u, cats, horizontal ? { inverse: true, axisLine: { show: false } } : {})
  return {
    ...base(u, item),
    legend: legend(u, series.map((s) => s.name)),
    grid: { left: size(horizontal ? 8 : 6, u), right: size(horizontal ? 40 : 10, u), top: size(series.length > 1 ? 30 : 14, u), bottom: size(4, u), containLabel: true },
    xAxis: horizontal ? valueAxis(u) : catAxis,
    yAxis: horizontal ? catAxis : valueAxis(u),
    series: series.map((s, i) => {
      const c = PALETTE[i % PALETTE.length]
      return {
        name: s.name,
        type: 'bar',
        stack: s.stack,
        data: scaleValues(s.values, unit),
        barWidth,
        barGap: '30%',
        itemStyle: {
          color: gradient(c, fade(c, 0.25), horizontal),
          borderRadius: stacked ? 0 : horizontal ? [0, size(3, u), size(3, u), 0] : [size(3, u), size(3, u), 0, 0],
        },
        label: horizontal && series.length === 1
          ? { show: true, position: 'right', color: '#fff', fontSize: size(12, u), formatter: (p: { value: number }) => compact(p.value) }
          : { show: false },
      }
    }),
  }
}

export function lineOption(item: ScreenItem, u: number): Opt {
  const d = item.data
  const series = d.series ?? []
  const unit = item.unit ?? d.unit
  return {
    ...base(u, item),
    legend: legend(u, series.map((s) => s.name)),
    grid: { left: size(6, u), right: size(14, u), top: size(series.length > 1 ? 30 : 14, u), bottom: size(4, u), containLabel: true },
    xAxis: categoryAxis(u, d.categories ?? [], { boundaryGap: false }),
    yAxis: valueAxis(u),
    series: series.map((s, i) => {
      const c = PALETTE[i % PALETTE.length]
      return {
        name: s.name,
        type: 'line',
        smooth: true,
        data: scaleValues(s.values, unit),
        symbol: 'circle',
        symbolSize: size(5, u),
        showSymbol: (d.categories?.length ?? 0) <= 16,
        lineStyle: { width: size(2, u), color: c, shadowColor: fade(c, 0.6), shadowBlur: size(6, u) },
        itemStyle: { color: c },
        areaStyle: series.length <= 2 ? { color: gradient(fade(c, 0.35), fade(c, 0)) } : undefined,
      }
    }),
  }
}

export function pieOption(item: ScreenItem, u: number): Opt {
  const d = item.data
  const s = d.series?.[0]
  const unit = item.unit ?? d.unit
  const values = scaleValues(s?.values ?? [], unit)
  return {
    ...base(u, item),
    tooltip: { ...(base(u, item).tooltip as Opt), trigger: 'item' },
    legend: {
      ...legend(u, d.categories ?? []),
      show: true,
      orient: 'vertical',
      top: 'middle',
      right: size(4, u),
      left: 'auto',
    },
    series: [
      {
        name: s?.name ?? item.label,
        type: 'pie',
        radius: ['42%', '66%'],
        center: ['36%', '54%'],
        itemStyle: { borderColor: '#061a3a', borderWidth: size(2, u) },
        label: { color: TEXT, fontSize: size(12, u), formatter: '{d}%', overflow: 'none' },
        labelLine: { length: size(6, u), length2: size(6, u), lineStyle: { width: size(1, u) } },
        data: (d.categories ?? []).map((name, i) => ({ name, value: values[i] })),
      },
    ],
  }
}

export function heatmapOption(item: ScreenItem, u: number): Opt {
  const d = item.data
  const vals = (d.values ?? []).filter((v) => Array.isArray(v) && v.length === 3)
  const nums = vals.map((v) => v[2]).filter((v): v is number => typeof v === 'number')
  const max = nums.length ? Math.max(...nums) : 1
  const min = nums.length ? Math.min(...nums) : 0
  return {
    ...base(u, item),
    tooltip: {
      ...(base(u, item).tooltip as Opt),
      trigger: 'item',
      formatter: (p: { value: [number, number, number] }) =>
        `${d.y?.[p.value[1]] ?? ''} ${d.x?.[p.value[0]] ?? ''}<br/>${(p.value[2] ?? 0).toLocaleString('zh-CN')} ${unitLabel(item.unit ?? d.unit)}`,
    },
    grid: { left: size(4, u), right: size(64, u), top: size(6, u), bottom: size(4, u), containLabel: true },
    xAxis: categoryAxis(u, d.x ?? [], { splitArea: { show: false }, axisLabel: { color: TEXT, fontSize: size(11, u), interval: 0, formatter: (v: string) => t.month(v.slice(-2)) } }),
    yAxis: categoryAxis(u, d.y ?? [], { axisLabel: { color: TEXT, fontSize: size(10, u), interval: 0 }, axisLine: { show: false } }),
    visualMap: {
      min,
      max,
      calculable: false,
      orient: 'vertical',
      right: 0,
      top: 'middle',
      itemWidth: size(10, u),
      itemHeight: size(120, u),
      textStyle: { color: TEXT, fontSize: size(11, u) },
      formatter: (v: number) => compact(Math.round(v)),
      inRange: { color: ['#0b2a5b', '#1466c2', '#1fb6e6', '#7be0b0', '#ffd25a', '#ff7a45'] },
    },
    series: [
      {
        type: 'heatmap',
        data: vals,
        itemStyle: { borderColor: '#041633', borderWidth: size(1, u) },
        emphasis: { itemStyle: { borderColor: '#fff', borderWidth: size(1, u) } },
      },
    ],
  }
}

/** Axis label of an outlet: without the 便民中心 / 政务服务中心 suffix (县政务服务中心 → 县中心), two lines of at most 4 characters. */
export function shortOutlet(name: string): string {
  const short = name.replace(OUTLET_SUFFIX, '')
  const v = short.length >= 2 ? short : t.outletCenter(short)
  return v.length > 4 ? `${v.slice(0, 4)}\n${v.slice(4, 8)}` : v
}

/** R5.3: accepted / completed by outlet with the completion rate on a second axis. */
export function outletOption(item: ScreenItem, u: number): Opt {
  const d = item.data
  const opt = barOption({ ...item, data: { ...d, horizontal: false } }, u)
  const rate = d.rate
  if (!rate) return opt
  const names = [...(d.series ?? []).map((s) => s.name), rate.name]
  return {
    ...opt,
    legend: { ...legend(u, names), show: true },
    grid: { ...(opt.grid as Opt), right: size(10, u) },
    xAxis: categoryAxis(u, d.categories ?? [], { axisLabel: { color: TEXT, fontSize: size(11, u), interval: 0, lineHeight: size(14, u), formatter: shortOutlet } }),
    yAxis: [
      valueAxis(u),
      valueAxis(u, {
        min: (v: { min: number }) => Math.max(0, Math.floor(v.min * 10 - 0.5) / 10),
        max: 1,
        splitLine: { show: false },
        axisLabel: { color: TEXT, fontSize: size(12, u), formatter: (v: number) => `${Math.round(v * 100)}%` },
      }),
    ],
    series: [
      ...(opt.series as Opt[]),
      {
        name: rate.name,
        type: 'line',
        yAxisIndex: 1,
        data: rate.values,
        smooth: true,
        symbol: 'circle',
        symbolSize: size(6, u),
        lineStyle: { width: size(2, u), color: '#36e3a4' },
        itemStyle: { color: '#36e3a4' },
        tooltip: { valueFormatter: (v: unknown) => (typeof v === 'number' ? `${(v * 100).toFixed(1)}%` : '—') },
      },
    ],
  }
}

/** Dispatch by item name and type; null for items drawn without ECharts (kpi, map, table). */
export function optionFor(name: string, item: ScreenItem | undefined, u: number): Opt | null {
  if (!item?.data) return null
  if (name === 'outlet_handling') return outletOption(item, u)
  switch (item.type) {
    case 'bar':
      return barOption(item, u)
    case 'line':
      return lineOption(item, u)
    case 'pie':
      return pieOption(item, u)
    case 'heatmap':
      return heatmapOption(item, u)
    default:
      return null
  }
}

/** True when the item has something to draw. */
export function hasData(item: ScreenItem | undefined): boolean {
  const d: ItemData | undefined = item?.data
  if (!d) return false
  if (d.tiles) return d.tiles.length > 0
  if (d.townships) return d.townships.length > 0
  if (d.items) return true
  if (d.values) return d.values.length > 0
  return (d.series ?? []).some((s) => s.values.some((v) => v !== null))
}
