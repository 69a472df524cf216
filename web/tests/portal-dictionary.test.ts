// 数据字典 page: lists the sources from the server (filters sent as query
// parameters), shows entity names for the mapped entity codes, and the
// entities and code sets tabs; the menu shows it only with datacenter:dict:read.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import DictionaryView from '../apps/portal/views/datacenter/DictionaryView.vue'
import { menuEntries, visibleMenu, type MenuEntry } from '../apps/portal/router/menu'
import { hasPermission, type PermissionNeed } from '../apps/portal/stores/session'

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })

const names = (entries: MenuEntry[]): string[] =>
  entries.flatMap((e) => (e.children ? [e.name, ...names(e.children)] : [e.name]))

const source = {
  no: 104,
  system: 'shebao',
  system_name: '社保',
  name: '单位欠费台账',
  entities: ['unit', 'arrears'],
  method: 'db_pull',
  method_label: '数据库抽取（源系统关系模式）',
  status: '未接入',
  mapping_rule: '关键词：欠费→arrears；单位→unit',
  mapping_manual: false,
}
const entities = {
  version: '2026.1',
  items: [
    { code: 'unit', name: '单位', description: '参保单位', fields: [] },
    { code: 'arrears', name: '欠费', description: '欠缴记录', fields: [] },
  ],
}
const codesets = { version: '2026.1', items: [{ code: 'gender', name: '性别', standard: 'GB/T 2261.1-2003', version: '2003', values: [{ value: '1', label: '男性' }] }] }

describe('data dictionary page', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('shows the sources with their entities and total, and sends the filters', async () => {
    const fetchMock = vi.fn(async (url: string) => {
      if (url.startsWith('/api/v1/datacenter/dictionary/sources')) return json(200, { items: [source], total: 218, page: 1, size: 20 })
      if (url.startsWith('/api/v1/datacenter/dictionary/entities')) return json(200, entities)
      return json(200, codesets)
    })
    vi.stubGlobal('fetch', fetchMock)
    const wrapper = mount(DictionaryView)
    await vi.waitFor(() => expect(wrapper.find('[data-testid="dictionary-total"]').text()).toBe('共 218 个数据源'))
    await flushPromises()
    const text = wrapper.text()
    expect(text).toContain('单位欠费台账')
    expect(text).toContain('欠费')
    expect(text).toContain('未接入')
    expect(fetchMock.mock.calls[0][0]).toBe('/api/v1/datacenter/dictionary/sources?page=1&size=20')
    expect(wrapper.find('[data-testid="dictionary-export"]').attributes('href')).toBe('/api/v1/datacenter/dictionary/export.csv')

    await wrapper.find('input[name="dictionary-q"]').setValue('欠费')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    const last = String(fetchMock.mock.calls.at(-1)?.[0])
    expect(last).toContain('q=' + encodeURIComponent('欠费'))
    expect(last).toContain('page=1')
  })

  it('is in the menu only for holders of datacenter:dict:read', () => {
    const can = (granted: string[]) => (p?: PermissionNeed) => hasPermission(granted, p)
    expect(names(visibleMenu(menuEntries, can(['datacenter:dict:read'])))).toEqual(
      expect.arrayContaining(['datacenter', 'datacenter-dictionary']),
    )
    expect(names(visibleMenu(menuEntries, can(['datacenter:person:read'])))).not.toContain('datacenter-dictionary')
  })
})
