// Loaded lazily by AnalyticsChart.vue: the tree-shaken ECharts core with the
// chart kinds of the analysis pages (bar, line, pie, heat map).
import * as echarts from 'echarts/core'
import { BarChart, HeatmapChart, LineChart, PieChart } from 'echarts/charts'
import { DataZoomComponent, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

echarts.use([BarChart, LineChart, PieChart, HeatmapChart, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent, DataZoomComponent, CanvasRenderer])

export type Chart = ReturnType<typeof echarts.init>

export function initChart(el: HTMLElement): Chart {
  return echarts.init(el, undefined, { renderer: 'canvas' })
}
