// 数据分析 → 大屏配置 against a stubbed API: the page loads GET
// /api/v1/screen/config (item catalogue labels, carousel, screens, streams),
// edits them (reorder/add/remove items and panels, add/remove screens and
// streams, carousel), PUTs the contract's body (layouts passed through, no
// catalogue, no row keys) with the CSRF header, and shows the server's
// validation message next to the field it names; the menu entry needs
// screen:manage.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { createMemoryHistory, RouterView } from 'vue-router'
import { defineComponent, h } from 'vue'
import { createPortalRouter } from '../apps/portal/router'
import { menuEntries, visibleMenu, type MenuEntry } from '../apps/portal/router/menu'
import { hasPermission, type PermissionNeed } from '../apps/portal/stores/session'
import { analyticsApi, type ScreenConfig } from '../apps/portal/api/analytics'
import OrderedItemList from '../apps/portal/views/analytics/OrderedItemList.vue'
import { bodyOf, draftOf, placeError, streamUrlOk } from '../apps/portal/views/analytics/screenConfig'

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
const Root = defineComponent({ render: () => h(RouterView) })
const bodyOfInit = (init?: RequestInit) => JSON.parse(String(init?.body ?? '{}'))

const catalogue = [
  { name: 'kpi', label: '核心指标', type: 'kpi' },
  { name: 'business_yearly', label: '年度业务量', type: 'bar' },
  { name: 'business_monthly', label: '月度业务量', type: 'line' },
  { name: 'consultation', label: '咨询量', type: 'line' },
  { name: 'township_map', label: '乡镇业务分布', type: 'map' },
  { name: 'heatmap', label: '乡镇月度业务热力', type: 'heatmap' },
  { name: 'warnings', label: '预警信息', type: 'table' },
]
const layouts = [
  { id: '1080p', label: '1920×1080', width: 1920, height: 1080 },
  { id: '2160p', label: '3840×2160', width: 3840, height: 2160 },
]
const config = (): ScreenConfig => ({
  layouts,
  defaultItems: ['business_yearly', 'business_monthly', 'consultation'],
  carousel: { enabled: true, intervalSec: 15 },
  screens: [
    { id: 'left', label: '左屏 · 业务统计', panels: ['business_yearly', 'heatmap'] },
    { id: 'center', label: '中屏 · 全县态势', panels: ['kpi', 'township_map', 'video'] },
  ],
  streams: [{ id: 'hall', name: '县政务服务中心 · 人社大厅', url: '/media/hall/index.m3u8' }],
  items: catalogue,
  updatedBy: 'leader',
  updatedAtMs: Date.UTC(2026, 0, 5, 2, 30),
})

let pinia: Pinia
let puts: unknown[] = []
let putReply: (body: Record<string, unknown>) => Response
function stub(permissions = ['*'], getReply: () => Response = () => json(200, config())) {
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input)
    if (url === '/api/v1/me') return json(200, { user: { id: 4, username: 'leader', displayName: '陈志强', permissions } })
    if (url === '/api/v1/screen/config' && (init?.method ?? 'GET') === 'GET') return getReply()
    if (url === '/api/v1/screen/config' && init?.method === 'PUT') {
      const body = bodyOfInit(init)
      puts.push(body)
      return putReply(body)
    }
    return json(200, { items: [] })
  })
  vi.stubGlobal('fetch', fetchMock)
  return fetchMock
}
async function open() {
  const router = createPortalRouter(createMemoryHistory('/portal/'))
  await router.push('/analytics/screen')
  const wrapper = mount(Root, { global: { plugins: [pinia, router] }, attachTo: document.body })
  await flushPromises()
  return { wrapper, router }
}
const chips = (w: VueWrapper, testid: string, n = 0) =>
  w.findAll(`[data-testid="${testid}"]`)[n].findAll(`[data-testid="${testid}-chip"]`).map((c) => c.attributes('data-name'))
/** The <input> of an el-input (its data-testid lands on the input itself). */
function inp(root: Pick<VueWrapper, 'find'>, testid: string) {
  const el = root.find(`[data-testid="${testid}"]`)
  return el.element?.tagName === 'INPUT' ? el : el.find('input')
}
async function click(w: VueWrapper, selector: string, n = 0) {
  await w.findAll(selector)[n].trigger('click')
  await flushPromises()
}
async function save(w: VueWrapper) {
  await click(w, '[data-testid="sc-save"]')
  await flushPromises()
}

describe('大屏配置 page', () => {
  beforeEach(() => {
    document.body.innerHTML = ''
    pinia = createPinia()
    setActivePinia(pinia)
    puts = []
    putReply = (body) => json(200, { ...body, updatedBy: 'leader', updatedAtMs: Date.UTC(2026, 0, 6) })
  })
  afterEach(() => vi.unstubAllGlobals())

  it('loads the configuration: carousel, items with Chinese labels, screens with preview links, streams', async () => {
    stub()
    const { wrapper, router } = await open()
    expect(router.currentRoute.value.name).toBe('analytics-screen')
    const page = wrapper.find('[data-testid="screen-config-page"]')
    expect(page.exists()).toBe(true)
    expect(wrapper.find('[data-testid="sc-meta"]').text()).toContain('leader')
    expect(chips(wrapper, 'sc-items')).toEqual(['business_yearly', 'business_monthly', 'consultation'])
    expect(wrapper.find('[data-testid="sc-items"]').text()).toContain('年度业务量')
    expect(wrapper.find('[data-testid="sc-carousel-enabled"]').classes()).toContain('is-checked')
    expect((wrapper.find('[data-testid="sc-carousel-interval"] input').element as HTMLInputElement).value).toBe('15')
    const screens = wrapper.findAll('[data-testid="sc-screen"]')
    expect(screens).toHaveLength(2)
    expect((inp(screens[1], 'sc-screen-id').element as HTMLInputElement).value).toBe('center')
    expect((inp(screens[1], 'sc-screen-label').element as HTMLInputElement).value).toBe('中屏 · 全县态势')
    expect(chips(wrapper, 'sc-panels', 1)).toEqual(['kpi', 'township_map', 'video'])
    expect(screens[1].text()).toContain('视频监控')
    expect(screens[1].text()).toContain('乡镇业务分布')
    expect(screens[0].find('[data-testid="sc-screen-preview"]').attributes('href')).toBe('/screen/?screen=left')
    expect(wrapper.find('[data-testid="sc-preview-single"]').attributes('href')).toBe('/screen/')
    expect((inp(wrapper, 'sc-stream-url').element as HTMLInputElement).value).toBe('/media/hall/index.m3u8')
    expect(wrapper.find('[data-testid="sc-dirty"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="sc-revert"]').attributes('disabled')).toBeDefined()
    // no invented reset-to-default action: the API has none
    expect(page.text()).not.toContain('恢复默认')
    wrapper.unmount()
  }, 60_000)

  it('edits and saves the contract body (layouts passed through, no catalogue), then shows the saved state', async () => {
    document.cookie = 'hrss_csrf=tok-sc'
    const fetchMock = stub()
    const { wrapper } = await open()
    // carousel items: move 月度业务量 first, remove 咨询量
    const items = () => wrapper.find('[data-testid="sc-items"]')
    await items().findAll('[data-testid="oi-up"]')[1].trigger('click')
    await items().findAll('[data-testid="oi-remove"]')[2].trigger('click')
    await flushPromises()
    expect(chips(wrapper, 'sc-items')).toEqual(['business_monthly', 'business_yearly'])
    expect(wrapper.find('[data-testid="sc-dirty"]').exists()).toBe(true)
    // interval 30, then carousel off (which disables the interval)
    const interval = wrapper.find('[data-testid="sc-carousel-interval"] input')
    await interval.setValue('30')
    await interval.trigger('change')
    await wrapper.find('[data-testid="sc-carousel-enabled"]').trigger('click')
    expect(wrapper.find('[data-testid="sc-carousel-interval"] input').attributes('disabled')).toBeDefined()
    // screens: rename the first, move its heatmap first, remove the second, add one
    const first = wrapper.findAll('[data-testid="sc-screen"]')[0]
    await inp(first, 'sc-screen-label').setValue('左屏')
    await first.findAll('[data-testid="sc-panels"] [data-testid="oi-up"]')[1].trigger('click')
    await click(wrapper, '[data-testid="sc-screen-remove"]', 1)
    await click(wrapper, '[data-testid="sc-screen-add"]')
    const screens = wrapper.findAll('[data-testid="sc-screen"]')
    expect(screens).toHaveLength(2)
    expect((inp(screens[1], 'sc-screen-id').element as HTMLInputElement).value).toBe('screen2')
    expect(screens[1].find('[data-testid="sc-screen-preview"]').exists()).toBe(false)
    await inp(screens[1], 'sc-screen-id').setValue('wall')
    // streams: add one
    await click(wrapper, '[data-testid="sc-stream-add"]')
    const rows = wrapper.findAll('[data-testid="sc-stream"]')
    expect(rows).toHaveLength(2)
    await inp(rows[1], 'sc-stream-name').setValue(' 竹阳街道便民中心 ')
    await inp(rows[1], 'sc-stream-url').setValue('/media/zhuyang/index.m3u8')
    await flushPromises()

    await save(wrapper)
    expect(puts).toHaveLength(1)
    expect(puts[0]).toEqual({
      layouts,
      defaultItems: ['business_monthly', 'business_yearly'],
      carousel: { enabled: false, intervalSec: 30 },
      screens: [
        { id: 'left', label: '左屏', panels: ['heatmap', 'business_yearly'] },
        { id: 'wall', label: '屏幕 2', panels: [] },
      ],
      streams: [
        { id: 'hall', name: '县政务服务中心 · 人社大厅', url: '/media/hall/index.m3u8' },
        { id: 'stream2', name: '竹阳街道便民中心', url: '/media/zhuyang/index.m3u8' },
      ],
    })
    const call = fetchMock.mock.calls.find((c) => c[0] === '/api/v1/screen/config' && c[1]?.method === 'PUT')!
    expect((call[1]?.headers as Record<string, string>)['X-CSRF-Token']).toBe('tok-sc')
    // saved: clean, the new screen previewable, labels still from the catalogue
    expect(wrapper.find('[data-testid="sc-dirty"]').exists()).toBe(false)
    expect(wrapper.findAll('[data-testid="sc-screen"]')[1].find('[data-testid="sc-screen-preview"]').attributes('href')).toBe('/screen/?screen=wall')
    expect(wrapper.find('[data-testid="sc-items"]').text()).toContain('月度业务量')
    wrapper.unmount()
  }, 60_000)

  it('adds items from the catalogue (fixed panels are not offered to the carousel) and the video panel to a screen', async () => {
    stub()
    const { wrapper } = await open()
    const lists = wrapper.findAllComponents(OrderedItemList)
    const values = (n: number) => (lists[n].props('options') as { value: string }[]).map((o) => o.value)
    expect(values(0)).toEqual(['business_yearly', 'business_monthly', 'consultation', 'heatmap'])
    expect(values(1)).toEqual(['kpi', 'business_yearly', 'business_monthly', 'consultation', 'township_map', 'heatmap', 'warnings', 'video'])
    const itemsAdd = wrapper.findAllComponents({ name: 'ElSelect' })[0]
    itemsAdd.vm.$emit('change', 'heatmap')
    await flushPromises()
    itemsAdd.vm.$emit('change', 'heatmap')
    await flushPromises()
    expect(chips(wrapper, 'sc-items')).toEqual(['business_yearly', 'business_monthly', 'consultation', 'heatmap'])
    wrapper.findAllComponents({ name: 'ElSelect' })[1].vm.$emit('change', 'video')
    await flushPromises()
    expect(chips(wrapper, 'sc-panels', 0)).toEqual(['business_yearly', 'heatmap', 'video'])
    await save(wrapper)
    expect((puts[0] as { screens: { panels: string[] }[] }).screens[0].panels).toEqual(['business_yearly', 'heatmap', 'video'])
    wrapper.unmount()
  }, 60_000)

  it('shows the server\'s validation message next to the screen, the stream or the section it names', async () => {
    stub()
    const fail = (message: string) => () => json(400, { code: 'INVALID_ARGUMENT', message, requestId: 'r1' })
    const { wrapper } = await open()
    // a new screen without panels: the server names it by label
    await click(wrapper, '[data-testid="sc-screen-add"]')
    putReply = fail('屏幕 屏幕 3 的面板 panels 须为 1–12 项的数组')
    await save(wrapper)
    let screens = wrapper.findAll('[data-testid="sc-screen"]')
    expect(screens[2].find('[data-testid="sc-error-screen"]').text()).toBe('屏幕 屏幕 3 的面板 panels 须为 1–12 项的数组')
    expect(screens[2].classes()).toContain('sc__screen--invalid')
    expect(screens[0].find('[data-testid="sc-error-screen"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="sc-dirty"]').exists()).toBe(true)
    // a duplicate screen id: the later screen
    await inp(screens[2], 'sc-screen-id').setValue('left')
    putReply = fail('屏幕编号重复：left')
    await save(wrapper)
    screens = wrapper.findAll('[data-testid="sc-screen"]')
    expect(screens[2].find('[data-testid="sc-error-screen"]').text()).toBe('屏幕编号重复：left')
    expect(screens[0].find('[data-testid="sc-error-screen"]').exists()).toBe(false)
    // a stream URL outside /media/: its row
    await click(wrapper, '[data-testid="sc-stream-add"]')
    const rows = wrapper.findAll('[data-testid="sc-stream"]')
    await inp(rows[1], 'sc-stream-name').setValue('外部')
    await inp(rows[1], 'sc-stream-url').setValue('/etc/passwd')
    putReply = fail('视频流地址 url 须为 /media/ 下或 http(s) 的 .m3u8 播放列表')
    await save(wrapper)
    expect(wrapper.find('[data-testid="sc-error-screen"]').exists()).toBe(false)
    const errs = wrapper.findAll('[data-testid="sc-error-stream"]')
    expect(errs).toHaveLength(1)
    expect(errs[0].text()).toContain('视频流地址')
    expect(errs[0].element.previousElementSibling).toBe(rows[1].element)
    // the carousel items
    putReply = fail('轮播内容 defaultItems 须为 1–20 项的数组')
    await save(wrapper)
    expect(wrapper.find('[data-testid="sc-error-items"]').text()).toBe('轮播内容 defaultItems 须为 1–20 项的数组')
    expect(wrapper.find('[data-testid="sc-error-stream"]').exists()).toBe(false)
    // anything else (layouts, a refused permission) above the form
    putReply = fail('布局 layouts 须为 1–6 项的数组')
    await save(wrapper)
    expect(wrapper.find('[data-testid="sc-error-general"]').text()).toContain('布局 layouts 须为 1–6 项的数组')
    putReply = () => json(403, { code: 'PERMISSION_DENIED', message: 'forbidden', requestId: 'r2' })
    await save(wrapper)
    expect(wrapper.find('[data-testid="sc-error-general"]').text()).toMatch(/[\u4e00-\u9fff]/)
    expect(puts).toHaveLength(6)
    wrapper.unmount()
  }, 60_000)

  it('a failed load shows the error and a retry', async () => {
    let fail = true
    stub(['*'], () => (fail ? json(500, { code: 'INTERNAL', message: 'db down', requestId: 'r3' }) : json(200, config())))
    const { wrapper } = await open()
    expect(wrapper.find('[data-testid="sc-load-error"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="sc-screens"]').exists()).toBe(false)
    fail = false
    await click(wrapper, '[data-testid="sc-load-error"] button')
    expect(wrapper.find('[data-testid="sc-load-error"]').exists()).toBe(false)
    expect(wrapper.findAll('[data-testid="sc-screen"]')).toHaveLength(2)
    wrapper.unmount()
  }, 60_000)

  it('without screen:manage the route is forbidden', async () => {
    stub(['analytics:query', 'screen:view'])
    const { wrapper, router } = await open()
    expect(router.currentRoute.value.name).toBe('forbidden')
    wrapper.unmount()
  }, 60_000)
})

describe('大屏配置 helpers and client', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('GETs and PUTs /api/v1/screen/config', async () => {
    puts = []
    putReply = (body) => json(200, body)
    stub()
    expect((await analyticsApi.screenConfig()).items?.[0].label).toBe('核心指标')
    const body = bodyOf(draftOf(config()))
    expect(Object.keys(body).sort()).toEqual(['carousel', 'defaultItems', 'layouts', 'screens', 'streams'])
    await analyticsApi.saveScreenConfig(body)
    expect(puts[0]).toEqual(body)
  })

  it('places messages by field and mirrors the server\'s stream URL rule', () => {
    const d = draftOf(config())
    d.screens[1].label = ''
    expect(placeError('屏幕名称 label 须为非空字符串', d)).toEqual({ section: 'screens', key: d.screens[1].key, message: '屏幕名称 label 须为非空字符串' })
    expect(placeError('屏幕 左屏 · 业务统计 含未知的面板：foo', d).key).toBe(d.screens[0].key)
    expect(placeError('多屏设置 screens 须为 1–8 项的数组', d)).toMatchObject({ section: 'screens', key: undefined })
    expect(placeError('轮播间隔 carousel.intervalSec 须为 5–600 的整数', d).section).toBe('carousel')
    expect(placeError('未知的大屏内容：foo', d).section).toBe('items')
    expect(placeError('视频流编号重复：hall', d)).toMatchObject({ section: 'streams', key: d.streams[0].key })
    expect(placeError('配置须为 JSON 对象', d).section).toBe('general')
    expect(streamUrlOk('/media/hall/index.m3u8')).toBe(true)
    expect(streamUrlOk('https://cdn.example.com/live.m3u8?token=1')).toBe(true)
    expect(streamUrlOk('/media/../x.m3u8')).toBe(false)
    expect(streamUrlOk('/media/hall/index.mp4')).toBe(false)
    expect(streamUrlOk('/static/x.m3u8')).toBe(false)
  })
})

describe('大屏配置 menu', () => {
  const names = (entries: MenuEntry[]): string[] => entries.flatMap((e) => (e.children ? [e.name, ...names(e.children)] : [e.name]))
  const can = (granted: string[]) => (p?: PermissionNeed) => hasPermission(granted, p)
  it('is shown under 数据分析 only with screen:manage', () => {
    expect(names(visibleMenu(menuEntries, can(['analytics:query', 'screen:view'])))).not.toContain('analytics-screen')
    const group = visibleMenu(menuEntries, can(['screen:manage'])).find((e) => e.name === 'analytics')
    expect(group?.children?.map((e) => e.name)).toEqual(['analytics-screen'])
  })
})
