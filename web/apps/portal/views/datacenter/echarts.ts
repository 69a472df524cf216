// Loaded lazily by EChart.vue: the tree-shaken ECharts core with the pieces
// the data center charts use, so ECharts reaches the browser only on pages
// that draw a chart.
import * as echarts from 'echarts/core'
import { BarChart, LineChart } from 'echarts/charts'
import { DataZoomComponent, GridComponent, LegendComponent, MarkAreaComponent, TooltipComponent } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, MarkAreaComponent, DataZoomComponent, CanvasRenderer])

export type Chart = ReturnType<typeof echarts.init>

export function initChart(el: HTMLElement): Chart {
  return echarts.init(el, undefined, { renderer: 'canvas' })
}
