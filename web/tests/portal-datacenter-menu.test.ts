// The 数据中心 menu group shows each page only to holders of its permission;
// detail routes (人员/单位 360°) are guarded too; error codes of the data
// center API read as Chinese sentences; exports hide approve on own requests.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory } from 'vue-router'
import { ApiError } from '@shared/api/http'
import { createPortalRouter } from '../apps/portal/router'
import { menuEntries, visibleMenu, type MenuEntry } from '../apps/portal/router/menu'
import { hasPermission, type PermissionNeed } from '../apps/portal/stores/session'
import { describeApiError } from '../apps/portal/api/errors'
import { describeFilters, isOwnRequest } from '../apps/portal/views/datacenter/exports'

const names = (entries: MenuEntry[]): string[] => entries.flatMap((e) => (e.children ? [e.name, ...names(e.children)] : [e.name]))
const can = (granted: string[]) => (p?: PermissionNeed) => hasPermission(granted, p)
const dc = (granted: string[]) => names(visibleMenu(menuEntries, can(granted))).filter((n) => n.startsWith('datacenter'))

describe('数据中心 menu', () => {
  it('shows every data center page for "*"', () => {
    expect(dc(['*'])).toEqual([
      'datacenter', 'datacenter-search', 'datacenter-domain', 'datacenter-jobs', 'datacenter-quarantine',
      'datacenter-codemaps', 'datacenter-quality', 'datacenter-conflicts', 'datacenter-exports', 'datacenter-dictionary',
    ])
  })
  it('a clerk (person/unit read, export request, 居保 read) sees search, domain queries and exports', () => {
    expect(dc(['datacenter:person:read', 'datacenter:unit:read', 'datacenter:export:request', 'jubao:record:read'])).toEqual([
      'datacenter', 'datacenter-search', 'datacenter-domain', 'datacenter-exports',
    ])
  })
  it('an inspector with unit read only still gets 一门式查询 (any of person/unit read)', () => {
    expect(dc(['datacenter:unit:read'])).toEqual(['datacenter', 'datacenter-search'])
  })
  it('collection pages need collect:read, quality quality:read, conflicts conflict:resolve, exports request or approve', () => {
    expect(dc(['datacenter:collect:read'])).toEqual(['datacenter', 'datacenter-jobs', 'datacenter-quarantine', 'datacenter-codemaps'])
    expect(dc(['datacenter:quality:read'])).toEqual(['datacenter', 'datacenter-quality'])
    expect(dc(['datacenter:conflict:resolve'])).toEqual(['datacenter', 'datacenter-conflicts'])
    expect(dc(['datacenter:export:approve'])).toEqual(['datacenter', 'datacenter-exports'])
    expect(dc(['system:user:read'])).toEqual([])
  })
  it('hasPermission takes a list as "any of"', () => {
    expect(hasPermission(['b'], ['a', 'b'])).toBe(true)
    expect(hasPermission(['c'], ['a', 'b'])).toBe(false)
    expect(hasPermission([], [])).toBe(true)
  })
})

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })

describe('data center routes', () => {
  beforeEach(() => setActivePinia(createPinia()))
  afterEach(() => vi.unstubAllGlobals())

  it('guards the 360° pages and keeps the old /datacenter/person link', async () => {
    vi.stubGlobal('fetch', vi.fn(async (input: RequestInfo | URL) => {
      if (String(input) === '/api/v1/me') return json(200, { user: { id: 7, username: 'inspector', displayName: '李振华', permissions: ['datacenter:unit:read'] } })
      return json(200, { items: [], total: 0 })
    }))
    const router = createPortalRouter(createMemoryHistory('/portal/'))
    await router.push('/datacenter/person/100001')
    expect(router.currentRoute.value.name).toBe('forbidden')
    await router.push('/datacenter/unit/3001')
    expect(router.currentRoute.value.name).toBe('datacenter-unit360')
    expect(router.currentRoute.value.meta.group).toBe('数据中心')
    await router.push('/datacenter/person')
    expect(router.currentRoute.value.name).toBe('datacenter-search')
    await router.push('/datacenter/jobs')
    expect(router.currentRoute.value.name).toBe('forbidden')
  })
})

describe('data center error messages', () => {
  it('explains JOB_RUNNING, BAD_CRON and self-approval', () => {
    expect(describeApiError(new ApiError(409, 'JOB_RUNNING', 'job running', 'r1'))).toBe('该采集任务正在执行，请等待本批次结束后再试')
    expect(describeApiError(new ApiError(400, 'BAD_CRON', 'bad', 'r1'))).toBe('执行计划（cron 表达式）格式不正确')
    expect(describeApiError(new ApiError(403, 'SELF_APPROVAL', 'x', 'r1'))).toBe('不能审批本人提交的导出申请')
    expect(describeApiError(new ApiError(409, 'SOMETHING_ELSE', 'x', 'r1'))).toBe('数据冲突：记录已存在或已被他人修改')
  })
})

describe('export requests', () => {
  it('knows own requests by the requester username', () => {
    const me = { username: 'head_shebao' }
    expect(isOwnRequest({ requester: 'head_shebao' }, me)).toBe(true)
    expect(isOwnRequest({ requester: 'leader' }, me)).toBe(false)
    expect(isOwnRequest({ requester: '' }, me)).toBe(false)
    expect(isOwnRequest({ requester: 'head_shebao' }, null)).toBe(false)
  })
  it('describes the filters in Chinese', () => {
    expect(describeFilters({ division: '511724001', q: '张', from: '2026-01-01', to: '' })).toBe('乡镇：竹阳街道；关键词：张；起始：2026-01-01')
    expect(describeFilters({ entity: 'contribution', from: '202401', to: '202412' })).toBe('数据表：缴费记录；起始：202401；截止：202412')
    expect(describeFilters({})).toBe('—')
  })
})
