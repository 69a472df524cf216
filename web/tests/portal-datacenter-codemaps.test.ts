// 代码映射 against a stubbed API: rows with the standard value's Chinese
// label and the 手工 tag; edit buttons and 新增映射 only with
// datacenter:collect:manage; the edit dialog PUTs {system, codeSet,
// srcValue, stdValue}; 问题数据 links UNKNOWN_CODE items here, which opens a
// pre-filled new mapping. Also the reason parser and the PUT limits.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { createMemoryHistory, RouterView } from 'vue-router'
import { defineComponent, h } from 'vue'
import { createPortalRouter } from '../apps/portal/router'
import { parseUnknownCode, standardCodeSet, standardLabel, validateCodeMap } from '../apps/portal/views/datacenter/codemaps'
import { messages } from '../apps/portal/i18n/messages'

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
const Root = defineComponent({ render: () => h(RouterView) })
const t = messages.dc.codemaps

const maps = [
  { system: 'jubao', codeSet: 'enrolment_status', srcValue: '正常缴费', stdValue: '1', manual: false },
  { system: 'jubao', codeSet: 'enrolment_status', srcValue: '中断', stdValue: '2', manual: true },
  { system: 'shebao', codeSet: 'arrival_flag', srcValue: '0', stdValue: 'due', manual: false },
]
const codeSets = [
  { code: 'enrolment_status', name: '参保状态', standard: '', version: '2026.1', values: [{ value: '1', label: '参保缴费' }, { value: '2', label: '暂停缴费（中断）' }, { value: '3', label: '终止参保' }] },
  { code: 'payment_status', name: '缴费/发放状态', standard: '', version: '2026.1', values: [{ value: 'paid', label: '已到账' }, { value: 'due', label: '应缴未缴' }] },
]
const unknownReason = '代码值没有映射：参保状态（代码集 enrolment_status）的源值「暂缓缴费」'

let pinia: Pinia
function stub(permissions: string[], extra: (url: string, init?: RequestInit) => Response | undefined = () => undefined) {
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input)
    if (url === '/api/v1/me') return json(200, { user: { id: 1, username: 'demo', displayName: '演示', permissions } })
    const more = extra(url, init)
    if (more) return more
    if (url.startsWith('/api/v1/datacenter/codemaps') && init?.method === 'PUT') return new Response(null, { status: 204 })
    if (url.startsWith('/api/v1/datacenter/codemaps')) {
      const q = new URL(url, 'http://x').searchParams
      return json(200, { items: maps.filter((m) => (!q.get('system') || m.system === q.get('system')) && (!q.get('codeSet') || m.codeSet === q.get('codeSet'))) })
    }
    if (url.startsWith('/api/v1/datacenter/dictionary/codesets')) return json(200, { version: '2026.1', items: codeSets })
    return json(200, { items: [], total: 0, page: 1, size: 20 })
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
const puts = (fetchMock: ReturnType<typeof stub>) => fetchMock.mock.calls.filter((c) => (c[1] as RequestInit | undefined)?.method === 'PUT')
const tableText = (wrapper: ReturnType<typeof mount>) => wrapper.find('[data-testid="dc-codemaps-table"]').text()

describe('代码映射 page', () => {
  beforeEach(() => {
    document.body.innerHTML = ''
    pinia = createPinia()
    setActivePinia(pinia)
  })
  afterEach(() => vi.unstubAllGlobals())

  it('read-only for collect:read: labels, 手工 tag, no edit buttons', async () => {
    const fetchMock = stub(['datacenter:collect:read'])
    const { wrapper } = await open('/datacenter/codemaps')
    await vi.waitFor(() => expect(tableText(wrapper)).toContain('正常缴费'), { timeout: 45_000 })
    const text = tableText(wrapper)
    expect(text).toContain('参保缴费') // the standard value's label
    expect(text).toContain('暂停缴费（中断）')
    expect(text).toContain('应缴未缴') // arrival_flag → payment_status
    expect(wrapper.findAll('[data-testid="dc-codemap-manual"]')).toHaveLength(1)
    expect(wrapper.find('[data-testid="dc-codemap-add"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid^="dc-codemap-edit-"]').exists()).toBe(false)
    expect(fetchMock.mock.calls.some((c) => String(c[0]).startsWith('/api/v1/datacenter/dictionary/codesets'))).toBe(true)
    wrapper.unmount()
  }, 60_000)

  it('collect:manage edits a row: the select of standard values, PUT body, unchanged refused', async () => {
    const fetchMock = stub(['datacenter:collect:read', 'datacenter:collect:manage'])
    const { wrapper } = await open('/datacenter/codemaps?system=jubao')
    const edit = '[data-testid="dc-codemap-edit-jubao-enrolment_status-中断"]'
    await vi.waitFor(() => expect(wrapper.find(edit).exists()).toBe(true), { timeout: 45_000 })
    const list = new URL(String(fetchMock.mock.calls.find((c) => String(c[0]).startsWith('/api/v1/datacenter/codemaps'))?.[0]), 'http://x')
    expect(list.searchParams.get('system')).toBe('jubao')
    expect(wrapper.find('[data-testid="dc-codemap-add"]').exists()).toBe(true)
    await wrapper.find(edit).trigger('click')
    await flushPromises()
    const save = () => document.querySelector<HTMLButtonElement>('[data-testid="dc-codemap-save"]')!
    save().click()
    await flushPromises()
    await vi.waitFor(() => expect(document.querySelector('.el-form-item__error')?.textContent).toContain(t.unchanged))
    expect(puts(fetchMock)).toHaveLength(0)
    // Choose 3 终止参保 from the standard code set's values.
    document.querySelector<HTMLElement>('[data-testid="dc-codemap-std"] .el-select__wrapper')!.click()
    await flushPromises()
    const option = [...document.querySelectorAll<HTMLElement>('.el-select-dropdown__item')].find((el) => el.textContent?.includes('终止参保'))
    expect(option).toBeTruthy()
    option!.click()
    await flushPromises()
    save().click()
    await flushPromises()
    const put = puts(fetchMock)
    expect(put).toHaveLength(1)
    expect(put[0][0]).toBe('/api/v1/datacenter/codemaps')
    expect(JSON.parse(String((put[0][1] as RequestInit).body))).toEqual({ system: 'jubao', codeSet: 'enrolment_status', srcValue: '中断', stdValue: '3' })
    wrapper.unmount()
  }, 60_000)

  it('from 问题数据: the UNKNOWN_CODE link opens a pre-filled new mapping', async () => {
    const item = {
      id: 50037, jobId: 11, batchId: 1058, system: 'jubao', stream: 'jubao/cbdj_d14.csv', line: 318, srcKey: 'JB1', record: { 参保状态: '暂缓缴费' },
      reasonCode: 'UNKNOWN_CODE', reason: unknownReason, status: 'open', fixed: null, updatedAt: 1, updatedBy: '',
    }
    const fetchMock = stub(['*'], (url) => (url.startsWith('/api/v1/datacenter/quarantine') ? json(200, { items: [item], total: 1, page: 1, size: 20 }) : undefined))
    const { wrapper, router } = await open('/datacenter/quarantine')
    const link = '[data-testid="dc-codemap-link-50037"]'
    await vi.waitFor(() => expect(wrapper.find(link).exists()).toBe(true), { timeout: 45_000 })
    expect(wrapper.find(link).text()).toBe(t.maintain)
    await wrapper.find(link).trigger('click')
    await flushPromises()
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('datacenter-codemaps'))
    expect(router.currentRoute.value.query).toEqual({ system: 'jubao', codeSet: 'enrolment_status', srcValue: '暂缓缴费' })
    await vi.waitFor(() => expect(document.querySelector('input[name="codemap-src"]')).toBeTruthy(), { timeout: 45_000 })
    expect(document.querySelector<HTMLInputElement>('input[name="codemap-src"]')!.value).toBe('暂缓缴费')
    expect(wrapper.find('[data-testid="dc-codemaps-from-quarantine"]').text()).toContain('暂缓缴费')
    // Without a standard value nothing is sent.
    document.querySelector<HTMLButtonElement>('[data-testid="dc-codemap-save"]')!.click()
    await flushPromises()
    expect(puts(fetchMock)).toHaveLength(0)
    await vi.waitFor(() => expect(document.querySelector('.el-form-item__error')?.textContent).toContain(t.errors.stdValue.required))
    wrapper.unmount()
  }, 60_000)
})

describe('code map helpers', () => {
  it('reads an UNKNOWN_CODE reason of the server', () => {
    expect(parseUnknownCode(unknownReason)).toEqual({ codeSet: 'enrolment_status', srcValue: '暂缓缴费' })
    expect(parseUnknownCode('代码值没有映射：aac008 参保状态（代码集 enrolment_status）的源值「9」')).toEqual({ codeSet: 'enrolment_status', srcValue: '9' })
    expect(parseUnknownCode('代码值没有映射：性别（代码集 gender）的源值「」')).toEqual({ codeSet: 'gender', srcValue: '' })
    expect(parseUnknownCode('日期无效：参保日期「2023-13-11」')).toBeNull()
    expect(parseUnknownCode('')).toBeNull()
  })
  it('maps a code set to its standard one and labels values', () => {
    expect(standardCodeSet('arrival_flag')).toBe('payment_status')
    expect(standardCodeSet('case_type')).toBeNull()
    expect(standardCodeSet('gender')).toBe('gender')
    expect(standardLabel('arrival_flag', 'due', codeSets)).toBe('应缴未缴')
    expect(standardLabel('enrolment_status', '9', codeSets)).toBe('')
  })
  it('checks the PUT limits (bytes)', () => {
    expect(validateCodeMap({ system: 'jubao', codeSet: 'gender', srcValue: '', stdValue: '1' })).toEqual({})
    expect(validateCodeMap({ system: 'x', codeSet: '', srcValue: '字'.repeat(22), stdValue: '' })).toEqual({
      system: 'required', codeSet: 'required', srcValue: 'tooLong', stdValue: 'required',
    })
    expect(validateCodeMap({ system: 'shebao', codeSet: 'gender', srcValue: '字'.repeat(21), stdValue: '1' })).toEqual({})
  })
})
