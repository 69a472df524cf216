// Data center pages against a stubbed API: the one-stop search sends q and
// lists persons and units; the quarantine fix form refuses an invalid value
// and PUTs the corrected record.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { createMemoryHistory } from 'vue-router'
import { defineComponent, h } from 'vue'
import { RouterView } from 'vue-router'
import { createPortalRouter } from '../apps/portal/router'

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
const Root = defineComponent({ render: () => h(RouterView) })

const item = {
  id: 50001, jobId: 11, batchId: 1058, system: 'jubao', stream: 'jubao/jfmx_d07.csv', line: 12, srcKey: 'JF1',
  record: { 流水号: 'JF1', 身份证号: '11010519491231002X', 到账日期: '2026-02-30' }, reasonCode: 'BAD_DATE', reason: 'BAD_DATE: 2026-02-30',
  status: 'open', fixed: null, updatedAt: 1, updatedBy: '',
}

let pinia: Pinia
function stub(handler: (url: string, init?: RequestInit) => Response | undefined) {
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input)
    if (url === '/api/v1/me') return json(200, { user: { id: 1, username: 'demo', displayName: '演示', permissions: ['*'] } })
    return handler(url, init) ?? json(200, { items: [], total: 0, page: 1, size: 20 })
  })
  vi.stubGlobal('fetch', fetchMock)
  return fetchMock
}
async function open(path: string) {
  const router = createPortalRouter(createMemoryHistory('/portal/'))
  await router.push(path)
  const wrapper = mount(Root, { global: { plugins: [pinia, router] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}

describe('data center pages', () => {
  beforeEach(() => {
    document.body.innerHTML = ''
    pinia = createPinia()
    setActivePinia(pinia)
  })
  afterEach(() => vi.unstubAllGlobals())

  it('一门式查询 sends the query and lists the persons', async () => {
    const fetchMock = stub((url) =>
      url.startsWith('/api/v1/datacenter/search')
        ? json(200, { persons: [{ id: 100001, name: '张*', idNumber: '511724********1230', gender: '1', birthDate: '1980-03-05', divisionCode: '511724001', divisionName: '竹阳街道', systems: ['shebao', 'jiuye'] }], units: [] })
        : undefined,
    )
    const wrapper = await open('/datacenter/search?q=' + encodeURIComponent('张三 1980-03-05'))
    await vi.waitFor(() => expect(wrapper.find('[data-testid="dc-search-persons"]').text()).toContain('511724********1230'), { timeout: 45_000 })
    const url = new URL(String(fetchMock.mock.calls.find((c) => String(c[0]).includes('/search'))?.[0]), 'http://x')
    expect(url.searchParams.get('q')).toBe('张三 1980-03-05')
    const text = wrapper.text()
    expect(text).toContain('竹阳街道')
    expect(text).toContain('就业')
    expect(text).toContain('人员（1）')
    wrapper.unmount()
  }, 60_000)

  it('问题数据: the fix form refuses an invalid date and saves the corrected record', async () => {
    const fetchMock = stub((url, init) => {
      if (url.startsWith('/api/v1/datacenter/quarantine/50001') && init?.method === 'PUT') return json(200, { ...item, status: 'fixed', fixed: JSON.parse(String(init.body)).record })
      if (url.startsWith('/api/v1/datacenter/quarantine')) return json(200, { items: [item], total: 1, page: 1, size: 20 })
      if (url.startsWith('/api/v1/datacenter/jobs')) return json(200, { items: [] })
      return undefined
    })
    const wrapper = await open('/datacenter/quarantine')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="dc-fix-50001"]').exists()).toBe(true), { timeout: 45_000 })
    expect(String(fetchMock.mock.calls.find((c) => String(c[0]).startsWith('/api/v1/datacenter/quarantine'))?.[0])).toContain('status=open')
    await wrapper.find('[data-testid="dc-fix-50001"]').trigger('click')
    await flushPromises()
    const save = () => document.querySelector<HTMLButtonElement>('[data-testid="dc-fix-save"]')!
    save().click()
    await flushPromises()
    await vi.waitFor(() => expect(document.querySelector('.el-form-item.is-error')?.textContent).toContain('到账日期'))
    expect(fetchMock.mock.calls.some((c) => (c[1] as RequestInit | undefined)?.method === 'PUT')).toBe(false)
    const input = document.querySelector<HTMLInputElement>('input[name="fix-到账日期"]')!
    input.value = '2026-02-28'
    input.dispatchEvent(new Event('input'))
    await flushPromises()
    save().click()
    await flushPromises()
    const put = fetchMock.mock.calls.find((c) => (c[1] as RequestInit | undefined)?.method === 'PUT')
    expect(put?.[0]).toBe('/api/v1/datacenter/quarantine/50001')
    expect(JSON.parse(String((put?.[1] as RequestInit).body))).toEqual({ record: { 流水号: 'JF1', 身份证号: '11010519491231002X', 到账日期: '2026-02-28' } })
    wrapper.unmount()
  }, 60_000)
})
