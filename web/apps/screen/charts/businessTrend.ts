// Loaded lazily: ECharts (tree-shaken core + the pieces used) only reaches
// the browser when the big screen draws its chart.
import * as echarts from 'echarts/core'
import { BarChart, LineChart } from 'echarts/charts'
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer])

export interface TrendSeries {
  months: string[]
  accepted: number[]
  completed: number[]
  acceptedLabel: string
  completedLabel: string
}

export function renderBusinessTrend(el: HTMLElement, data: TrendSeries) {
  const chart = echarts.init(el, undefined, { renderer: 'canvas' })
  const axisColor = 'rgba(160, 200, 255, 0.6)'
  chart.setOption({
    backgroundColor: 'transparent',
    textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
    tooltip: { trigger: 'axis' },
    legend: { top: 0, right: 10, textStyle: { color: '#cfe3ff', fontSize: 18 } },
    grid: { left: 70, right: 30, top: 50, bottom: 40 },
    xAxis: {
      type: 'category',
      data: data.months,
      axisLine: { lineStyle: { color: axisColor } },
      axisLabel: { color: '#cfe3ff', fontSize: 16 },
    },
    yAxis: {
      type: 'value',
      splitLine: { lineStyle: { color: 'rgba(120, 170, 255, 0.15)' } },
      axisLabel: { color: '#cfe3ff', fontSize: 16 },
    },
    series: [
      {
        name: data.acceptedLabel,
        type: 'bar',
        data: data.accepted,
        barWidth: 22,
        itemStyle: {
          borderRadius: [4, 4, 0, 0],
          color: new echarts.graphic.LinearGradient(0, 0, 0, 1, [
            { offset: 0, color: '#3fd0ff' },
            { offset: 1, color: 'rgba(30, 110, 255, 0.3)' },
          ]),
        },
      },
      {
        name: data.completedLabel,
        type: 'line',
        data: data.completed,
        smooth: true,
        symbolSize: 8,
        lineStyle: { width: 3, color: '#ffc53d' },
        itemStyle: { color: '#ffc53d' },
      },
    ],
  })
  return chart
}
