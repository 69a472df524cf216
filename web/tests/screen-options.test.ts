import { describe, expect, it } from 'vitest'
import { barOption, hasData, heatmapOption, lineOption, optionFor, outletOption, pieOption, shortOutlet } from '../apps/screen/lib/options'
import { compact, formatAsOf, formatChange, formatValue } from '../apps/screen/lib/format'
import { errorText, fetchData, loginUrl, MAX_ITEMS_PER_REQUEST } from '../apps/screen/lib/api'
import { videoErrorText } from '../apps/screen/lib/video'
import { ApiError } from '../shared/api/http'
import type { ScreenItem } from '../apps/screen/lib/types'
import { vi } from 'vitest'

type O = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

const monthly: ScreenItem = {
  label: '月度业务量趋势',
  type: 'line',
  unit: '件',
  data: { categories: ['1月', '2月', '3月'], series: [{ name: '受理量', values: [100, 120, null] }, { name: '办结量', values: [90, 118, null] }] },
}

describe('data → ECharts option', () => {
  it('line: categories, one series per data series, sizes scaled by the layout unit', () => {
    const o1 = lineOption(monthly, 1) as O
    const o2 = lineOption(monthly, 2) as O
    expect(o1.xAxis.data).toEqual(['1月', '2月', '3月'])
    expect(o1.series.map((s: O) => [s.name, s.type, s.data])).toEqual([
      ['受理量', 'line', [100, 120, null]],
      ['办结量', 'line', [90, 118, null]],
    ])
    expect(o1.legend.show).toBe(true)
    expect(o2.xAxis.axisLabel.fontSize).toBe(2 * o1.xAxis.axisLabel.fontSize)
    expect(o2.series[0].lineStyle.width).toBe(2 * o1.series[0].lineStyle.width)
    expect(o2.textStyle.fontSize).toBe(28)
  })

  it('bar: stacks, horizontal top-N with inverse category axis and value labels, fen shown in 元', () => {
    const stacked = barOption({ label: '年度', type: 'bar', unit: '件', data: { categories: ['2024年', '2025年'], series: [{ name: '社保', values: [1, 2], stack: 'all' }, { name: '居保', values: [3, 4], stack: 'all' }] } }, 1) as O
    expect(stacked.series.map((s: O) => s.stack)).toEqual(['all', 'all'])
    expect(stacked.xAxis.type).toBe('category')
    const top = barOption({ label: 'TOP', type: 'bar', unit: '件', data: { categories: ['甲', '乙'], series: [{ name: '经办量', values: [50, 40] }], horizontal: true } }, 1) as O
    expect(top.yAxis).toMatchObject({ type: 'category', inverse: true, data: ['甲', '乙'] })
    expect(top.xAxis.type).toBe('value')
    expect(top.series[0].label.show).toBe(true)
    const money = barOption({ label: '发放', type: 'bar', unit: 'fen', data: { categories: ['1月'], series: [{ name: '金额', values: [12345] }] } }, 1) as O
    expect(money.series[0].data).toEqual([123.45])
  })

  it('pie: one slice per category', () => {
    const o = pieOption({ label: '查询', type: 'pie', unit: '次', data: { categories: ['自助终端', 'App'], series: [{ name: '查询量', values: [30, 70] }] } }, 1) as O
    expect(o.series[0].type).toBe('pie')
    expect(o.series[0].data).toEqual([{ name: '自助终端', value: 30 }, { name: 'App', value: 70 }])
    expect(o.tooltip.trigger).toBe('item')
  })

  it('heatmap: cells, axes and a visual map spanning the values', () => {
    const o = heatmapOption({ label: '热力', type: 'heatmap', unit: '件', data: { x: ['2025-01', '2025-02'], y: ['竹阳街道', '东柳街道'], values: [[0, 0, 5], [1, 0, 9], [0, 1, 2], [1, 1, null as unknown as number]] } }, 1) as O
    expect(o.series[0].type).toBe('heatmap')
    expect(o.series[0].data).toHaveLength(4)
    expect(o.visualMap).toMatchObject({ min: 2, max: 9 })
    expect(o.xAxis.axisLabel.formatter('2025-02')).toBe('02月')
    expect(o.yAxis.data).toEqual(['竹阳街道', '东柳街道'])
  })

  it('outlet handling (R5.3): accepted / completed bars plus completion rate on a percent axis', () => {
    const item: ScreenItem = {
      label: '网点受理与办结', type: 'bar', unit: '件',
      data: { categories: ['县政务服务中心', '竹阳街道便民中心'], series: [{ name: '受理量', values: [100, 50] }, { name: '办结量', values: [95, 40] }],
        rate: { name: '办结率', values: [0.95, 0.8] }, byType: [{ type: '社保', accepted: 10, completed: 9 }] },
    }
    const o = optionFor('outlet_handling', item, 1) as O
    expect(JSON.stringify(o)).toBe(JSON.stringify(outletOption(item, 1)))
    expect(o.yAxis).toHaveLength(2)
    expect(o.series.map((s: O) => [s.name, s.type, s.yAxisIndex ?? 0])).toEqual([['受理量', 'bar', 0], ['办结量', 'bar', 0], ['办结率', 'line', 1]])
    expect(o.yAxis[1].max).toBe(1)
    expect(o.yAxis[1].axisLabel.formatter(0.9)).toBe('90%')
    expect(shortOutlet('竹阳街道便民中心')).toBe('竹阳街道')
    expect(shortOutlet('县政务服务中心')).toBe('县中心')
    expect(shortOutlet('石桥铺镇便民服务中心')).toBe('石桥铺镇')
    expect(shortOutlet('大竹县东柳街道便民中心')).toBe('大竹县东\n柳街道')
  })

  it('dispatches by type; kpi / map / table are not ECharts; empty data is detected', () => {
    expect(optionFor('kpi', { label: 'k', type: 'kpi', data: { tiles: [] } }, 1)).toBeNull()
    expect(optionFor('x', undefined, 1)).toBeNull()
    expect((optionFor('business_monthly', monthly, 1) as O).series[0].type).toBe('line')
    expect(hasData(monthly)).toBe(true)
    expect(hasData({ label: '', type: 'bar', data: { categories: ['a'], series: [{ name: 's', values: [null] }] } })).toBe(false)
    expect(hasData({ label: '', type: 'kpi', data: { tiles: [] } })).toBe(false)
    expect(hasData({ label: '', type: 'table', data: { items: [] } })).toBe(true)
    expect(hasData(undefined)).toBe(false)
  })
})

describe('formatting', () => {
  it('values, amounts in fen, changes, axis labels, data time', () => {
    expect(formatValue(786420, '人')).toEqual({ text: '786,420', unit: '人' })
    expect(formatValue(23_618_450_000, 'fen')).toEqual({ text: '2.36', unit: '亿元' })
    expect(formatValue(1419, 'person')).toEqual({ text: '1,419', unit: '人' })
    expect(formatValue(66, 'count')).toEqual({ text: '66', unit: '件' })
    expect(formatValue(12_345_600, 'fen')).toEqual({ text: '12.35', unit: '万元' })
    expect(formatValue(null, 'fen')).toEqual({ text: '—', unit: '元' })
    expect(formatValue(0.953, 'ratio')).toEqual({ text: '95.3', unit: '%' })
    expect(formatChange(0.021)).toBe('+2.1%')
    expect(formatChange(-0.036)).toBe('−3.6%')
    expect(formatChange(null)).toBe('')
    expect(compact(15000)).toBe('1.5万')
    expect(compact(250_000_000)).toBe('2.5亿')
    expect(compact(800)).toBe('800')
    expect(formatAsOf(new Date(2026, 4, 12, 9, 5).getTime())).toBe('2026-05-12 09:05')
    expect(formatAsOf('')).toBe('')
  })
})

describe('api helpers', () => {
  it('login URL comes back to this screen', () => {
    expect(loginUrl({ pathname: '/screen/', search: '?screen=left' })).toBe('/portal/login?redirect=%2Fscreen%2F%3Fscreen%3Dleft')
  })

  it('asks for at most 20 items per request and merges the answers', async () => {
    const names = Array.from({ length: 25 }, (_, i) => `i${i}`)
    const urls: string[] = []
    vi.stubGlobal('fetch', async (url: string) => {
      urls.push(url)
      const items = new URL(url, 'http://x').searchParams.get('items')!.split(',')
      return new Response(JSON.stringify({ asOf: urls.length, items: Object.fromEntries(items.map((n) => [n, { label: n, type: 'bar', data: {} }])) }), {
        status: 200, headers: { 'Content-Type': 'application/json' },
      })
    })
    const d = await fetchData(names)
    expect(urls).toHaveLength(2)
    expect(new URL(urls[0], 'http://x').searchParams.get('items')!.split(',')).toHaveLength(MAX_ITEMS_PER_REQUEST)
    expect(Object.keys(d.items)).toHaveLength(25)
    vi.unstubAllGlobals()
  })

  it('errors and video errors read in Chinese', () => {
    expect(errorText(new ApiError(403, 'PERMISSION_DENIED', 'no'))).toContain('没有查看指挥中心大屏的权限')
    expect(errorText(new ApiError(0, 'NETWORK_ERROR', 'x'))).toBe('无法连接服务器，正在重试…')
    expect(errorText(new ApiError(400, 'INVALID_ARGUMENT', '未知的统计项：foo'))).toBe('未知的统计项：foo')
    expect(errorText(new ApiError(502, 'HTTP_502', 'Bad Gateway'))).toBe('数据加载失败（502）')
    expect(videoErrorText('networkError', 'manifestLoadError')).toBe('视频流地址无法访问，正在重试…')
    expect(videoErrorText('mediaError')).toBe('视频解码出错，正在恢复…')
    expect(videoErrorText('4')).toBe('视频格式不受支持或地址无效')
    for (const k of ['networkError', 'mediaError', 'unsupported', 'muxError', 'forbidden', '1', '2', '3', '4', 'other']) expect(videoErrorText(k)).toMatch(/[\u4e00-\u9fa5]/)
  })
})
