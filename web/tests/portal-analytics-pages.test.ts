// 数据分析 against a stubbed API: the client sends the contract's requests
// (query body, CSRF header, export download, domain month); the pivot page
// renders a mocked response as a table (元, %, totals, warning cells),
// drills down on a click; the domain view shows KPI cards and opens a chart
// in 多维分析; the workbench draws pinned views; the menu shows the group by
// permission.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { createMemoryHistory } from 'vue-router'
import { defineComponent, h } from 'vue'
import { RouterView } from 'vue-router'
import { createPortalRouter } from '../apps/portal/router'
import { menuEntries, visibleMenu, type MenuEntry } from '../apps/portal/router/menu'
import { hasPermission, type PermissionNeed } from '../apps/portal/stores/session'
import { analyticsApi, dispositionName, type CubeDef, type QueryResult } from '../apps/portal/api/analytics'

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
const Root = defineComponent({ render: () => h(RouterView) })

const cube: CubeDef = {
  name: 'contribution',
  label: '缴费',
  dims: [
    { name: 'region', label: '区域', levels: [{ name: 'county', label: '县' }, { name: 'township', label: '乡镇' }] },
    { name: 'time', label: '时间', levels: [{ name: 'year', label: '年' }, { name: 'quarter', label: '季度' }, { name: 'month', label: '月' }] },
  ],
  measures: [
    { name: 'amount', label: '缴费金额', unit: 'fen' },
    { name: 'persons', label: '缴费人数', unit: 'person' },
    { name: 'coverage', label: '覆盖率', unit: 'ratio' },
  ],
}
const county: QueryResult = {
  cube: 'contribution', scoped: true, elapsedUs: 812,
  rowDims: [{ dim: 'region', level: 'county', label: '县' }], colDims: [],
  measures: [{ name: 'amount', label: '缴费金额', unit: 'fen' }, { name: 'coverage', label: '覆盖率', unit: 'ratio' }],
  rows: [{ keys: [{ code: '511724', label: '大竹县' }] }], columns: [{ keys: [] }],
  cells: [[[123456789, 0.9312]]], rowTotals: [[123456789, 0.9312]], colTotals: [[123456789, 0.9312]], grandTotal: [123456789, 0.9312],
}
const towns: QueryResult = {
  ...county, scoped: false,
  rowDims: [{ dim: 'region', level: 'township', label: '乡镇' }],
  rows: [{ keys: [{ code: '511724001', label: '竹阳街道' }] }, { keys: [{ code: '511724003', label: '白塔街道' }] }],
  cells: [[[100000000, 0.95]], [[23456789, 0.81]]],
  rowTotals: [[100000000, 0.95], [23456789, 0.81]],
  warnings: [{ row: 1, col: 0, measure: 'coverage', level: 'alarm', value: 0.81, message: '覆盖率低于85%' }],
}

let pinia: Pinia
function stub(handler: (url: string, init?: RequestInit) => Response | undefined, permissions = ['*']) {
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input)
    if (url === '/api/v1/me') return json(200, { user: { id: 1, username: 'leader', displayName: '赵德明', permissions } })
    return handler(url, init) ?? json(200, { items: [] })
  })
  vi.stubGlobal('fetch', fetchMock)
  return fetchMock
}
async function open(path: string) {
  const router = createPortalRouter(createMemoryHistory('/portal/'))
  await router.push(path)
  const wrapper = mount(Root, { global: { plugins: [pinia, router] }, attachTo: document.body })
  await flushPromises()
  return { wrapper, router }
}
const bodyOf = (init?: RequestInit) => JSON.parse(String(init?.body ?? '{}'))

describe('analytics API client', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('POSTs the query with the CSRF header and reads cubes, views, domains', async () => {
    document.cookie = 'hrss_csrf=tok123'
    const fetchMock = stub((url, init) => {
      if (url === '/api/v1/analytics/query') return json(200, county)
      if (url === '/api/v1/analytics/cubes') return json(200, { cubes: [cube] })
      if (url.startsWith('/api/v1/analytics/domains/jubao')) return json(200, { code: 'jubao', label: '居保视图', asOf: '202510', sections: [] })
      if (url === '/api/v1/analytics/views/7/pin') return json(200, { id: 7, pinned: bodyOf(init).pinned })
      return undefined
    })
    const q = { cube: 'contribution', rows: [], columns: [], measures: ['amount'] }
    expect((await analyticsApi.query(q)).grandTotal).toEqual([123456789, 0.9312])
    const call = fetchMock.mock.calls.find((c) => c[0] === '/api/v1/analytics/query')!
    expect(call[1]?.method).toBe('POST')
    expect(bodyOf(call[1])).toEqual(q)
    expect((call[1]?.headers as Record<string, string>)['X-CSRF-Token']).toBe('tok123')
    expect((await analyticsApi.cubes())[0].name).toBe('contribution')
    await analyticsApi.domain('jubao', '202510')
    expect(fetchMock.mock.calls.some((c) => String(c[0]) === '/api/v1/analytics/domains/jubao?month=202510&year=2025')).toBe(true)
    expect(await analyticsApi.pin(7, true)).toEqual({ id: 7, pinned: true })
  })

  it('export downloads the XLSX under the server\'s name; errors become ApiError', async () => {
    const clicks: string[] = []
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push(this.download)
    })
    URL.createObjectURL = vi.fn(() => 'blob:x')
    URL.revokeObjectURL = vi.fn()
    let fail = false
    stub((url) =>
      url === '/api/v1/analytics/export'
        ? fail
          ? json(400, { code: 'INVALID_ARGUMENT', message: '指标须为 1 至 8 个' })
          : new Response(new Uint8Array([80, 75, 3, 4]), { status: 200, headers: { 'Content-Disposition': "attachment; filename=\"a.xlsx\"; filename*=UTF-8''%E7%BC%B4%E8%B4%B9.xlsx" } })
        : undefined,
    )
    const q = { cube: 'contribution', rows: [], columns: [], measures: ['amount'] }
    expect(await analyticsApi.exportXlsx(q, 'fallback.xlsx')).toBe('缴费.xlsx')
    expect(clicks).toEqual(['缴费.xlsx'])
    fail = true
    await expect(analyticsApi.exportXlsx(q, 'x.xlsx')).rejects.toMatchObject({ status: 400, code: 'INVALID_ARGUMENT' })
    expect(dispositionName('attachment; filename="plain.xlsx"')).toBe('plain.xlsx')
  })
})

describe('analytics pages', () => {
  beforeEach(() => {
    document.body.innerHTML = ''
    pinia = createPinia()
    setActivePinia(pinia)
  })
  afterEach(() => vi.unstubAllGlobals())

  it('多维分析 renders the response as a pivot table and drills down a member', async () => {
    const queries: Record<string, unknown>[] = []
    stub((url, init) => {
      if (url === '/api/v1/analytics/cubes') return json(200, { cubes: [cube] })
      if (url === '/api/v1/analytics/query') {
        const q = bodyOf(init)
        queries.push(q)
        return json(200, q.rows?.[0]?.level === 'township' ? towns : county)
      }
      return undefined
    })
    const q = { cube: 'contribution', rows: [{ dim: 'region', level: 'county' }], columns: [], measures: ['amount', 'coverage'] }
    const { wrapper, router } = await open(`/analytics/pivot?q=${encodeURIComponent(JSON.stringify(q))}`)
    await vi.waitFor(() => expect(wrapper.find('[data-testid="pivot-table"]').exists()).toBe(true), { timeout: 30_000 })
    expect(wrapper.find('[data-testid="pivot-cell-0-0-0"]').text()).toBe('1,234,567.89')
    expect(wrapper.find('[data-testid="pivot-cell-0-0-1"]').text()).toBe('93.12%')
    expect(wrapper.find('[data-testid="pivot-measure-amount"]').text()).toContain('缴费金额（元）')
    expect(wrapper.find('[data-testid="pivot-scoped"]').text()).toBe('按数据权限统计')
    expect(queries[0]).toMatchObject({ ...q, totals: true })

    await wrapper.find('[data-testid="pivot-drill-511724"]').trigger('click')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="pivot-member-1-0"]').exists()).toBe(true), { timeout: 10_000 })
    expect(queries[queries.length - 1]).toMatchObject({
      rows: [{ dim: 'region', level: 'township' }],
      filters: [{ dim: 'region', level: 'county', op: 'in', values: ['511724'] }],
    })
    expect(wrapper.find('[data-testid="pivot-member-1-0"]').text()).toBe('白塔街道')
    expect(wrapper.find('[data-testid="pivot-cell-1-0-1"]').classes()).toContain('is-alarm')
    expect(wrapper.find('[data-testid="pivot-warnings"]').text()).toContain('覆盖率低于85%')
    expect(wrapper.find('[data-testid="pivot-crumb-1"]').text()).toBe('大竹县')
    await vi.waitFor(() => expect(String(router.currentRoute.value.query.q)).toContain('township'))
    expect(String(router.currentRoute.value.query.drill)).toContain('511724')

    await wrapper.find('[data-testid="pivot-crumb-0"]').trigger('click')
    await vi.waitFor(() => expect(queries[queries.length - 1]).toMatchObject({ rows: [{ dim: 'region', level: 'county' }] }), { timeout: 10_000 })
    expect(queries[queries.length - 1].filters).toBeUndefined()
    wrapper.unmount()
  }, 60_000)

  it('专题分析 shows KPI cards with the change and opens a chart in 多维分析', async () => {
    const chartQuery = { cube: 'contribution', rows: [{ dim: 'time', level: 'month' }], columns: [], measures: ['amount'] }
    stub((url) => {
      if (url === '/api/v1/analytics/domains') return json(200, { items: [{ code: 'leader', label: '领导视图', sections: [] }, { code: 'jubao', label: '居保视图', sections: [] }] })
      if (url.startsWith('/api/v1/analytics/domains/jubao'))
        return json(200, {
          code: 'jubao', label: '居保视图', asOf: '202510',
          sections: [{
            code: 'enrolment', label: '参保情况',
            indicators: [{ code: 'persons', label: '参保人数', value: 612345, unit: 'person', prev: 610000, change: 0.0038, compare: 'mom' }],
            charts: [{ code: 'trend', label: '近12个月缴费人数', type: 'table', query: chartQuery, result: county }],
            rankings: [{ code: 'coverage', label: '乡镇覆盖率排名', unit: 'ratio', items: [{ code: '511724001', label: '竹阳街道', value: 0.93, rank: 1 }] }],
            warnings: [{ level: 'warn', code: 'enrolment_drop', message: '白塔街道 10月缴费人数环比下降6.1%', region: '511724003' }],
          }],
        })
      return undefined
    })
    const { wrapper, router } = await open('/analytics/domain?code=jubao')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="kpi-enrolment-persons"]').exists()).toBe(true), { timeout: 30_000 })
    const kpi = wrapper.find('[data-testid="kpi-enrolment-persons"]').text()
    expect(kpi).toContain('61.23')
    expect(kpi).toContain('万人')
    expect(kpi).toContain('+0.38%')
    expect(wrapper.find('[data-testid="domain-asof"]').text()).toContain('2025年10月')
    expect(wrapper.find('[data-testid="domain-ranking-enrolment-coverage"]').text()).toContain('93.00%')
    expect(wrapper.find('[data-testid="domain-warnings-enrolment"]').text()).toContain('白塔街道 10月缴费人数环比下降6.1%')
    await wrapper.find('[data-testid="open-in-pivot-enrolment-trend"]').trigger('click')
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('analytics-pivot'))
    expect(JSON.parse(String(router.currentRoute.value.query.q))).toMatchObject(chartQuery)
    wrapper.unmount()
  }, 60_000)

  it('the workbench shows pinned views', async () => {
    stub((url) =>
      url === '/api/v1/analytics/workbench'
        ? json(200, { items: [{ view: { id: 9, name: '各乡镇缴费', query: { cube: 'contribution', rows: [], columns: [], measures: ['amount'] }, chart: 'table', pinned: true, shared: false, owner: 1 }, result: towns }] })
        : url === '/api/v1/me/apps' || url.startsWith('/api/v1/sso') ? json(200, { items: [] }) : url === '/healthz' ? json(200, { status: 'ok' }) : undefined,
    )
    const { wrapper } = await open('/workbench')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="pinned-9"]').exists()).toBe(true), { timeout: 30_000 })
    expect(wrapper.find('[data-testid="pinned-9"]').text()).toContain('各乡镇缴费')
    expect(wrapper.find('[data-testid="pinned-9"]').text()).toContain('1,000,000.00')
    wrapper.unmount()
  }, 60_000)
})

describe('数据分析 menu', () => {
  const names = (entries: MenuEntry[]): string[] => entries.flatMap((e) => (e.children ? [e.name, ...names(e.children)] : [e.name]))
  const can = (granted: string[]) => (p?: PermissionNeed) => hasPermission(granted, p)
  it('is shown by analytics:query; 我的视图 also by analytics:view:manage', () => {
    expect(names(visibleMenu(menuEntries, can(['analytics:query'])))).toEqual(
      expect.arrayContaining(['analytics', 'analytics-leader', 'analytics-pivot', 'analytics-domain', 'analytics-views']),
    )
    const managerOnly = names(visibleMenu(menuEntries, can(['analytics:view:manage'])))
    expect(managerOnly).toContain('analytics-views')
    expect(managerOnly).not.toContain('analytics-pivot')
    expect(names(visibleMenu(menuEntries, can(['jubao:record:read'])))).not.toContain('analytics')
  })
})
