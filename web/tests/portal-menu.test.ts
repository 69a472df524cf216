// The menu shows only what the signed-in user may open; a direct link to a
// page without its permission lands on the 403 page.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory } from 'vue-router'
import { defineComponent, h } from 'vue'
import { RouterView } from 'vue-router'
import { createPortalRouter } from '../apps/portal/router'
import { menuEntries, visibleMenu, type MenuEntry } from '../apps/portal/router/menu'
import { hasPermission, type PermissionNeed } from '../apps/portal/stores/session'

const names = (entries: MenuEntry[]): string[] =>
  entries.flatMap((e) => (e.children ? [e.name, ...names(e.children)] : [e.name]))
const can = (granted: string[]) => (p?: PermissionNeed) => hasPermission(granted, p)

describe('permission-filtered menu', () => {
  it('keeps a group with only the children the user may open', () => {
    const menu = names(visibleMenu(menuEntries, can(['system:user:read', 'datacenter:person:read'])))
    expect(menu).toContain('workbench')
    expect(menu).toContain('datacenter')
    expect(menu).toContain('system')
    expect(menu).toContain('system-user')
    expect(menu).toContain('system-delegation') // every signed-in user delegates their own rights
    for (const hidden of ['system-org', 'system-role', 'system-online', 'system-audit', 'system-apps', 'analytics', 'gateway']) {
      expect(menu).not.toContain(hidden)
    }
  })

  it('shows the audit log to the auditor and not the account pages', () => {
    const menu = names(visibleMenu(menuEntries, can(['audit:log:read'])))
    expect(menu).toEqual(expect.arrayContaining(['workbench', 'system', 'system-audit', 'system-delegation']))
    expect(menu).not.toContain('system-user')
    expect(menu).not.toContain('system-role')
  })

  it('drops a group whose children are all hidden', () => {
    const entries: MenuEntry[] = [
      { name: 'g', title: 'g', icon: {}, children: [{ name: 'g-a', path: 'g/a', title: 'a', icon: {}, permission: 'x:read' }] },
    ]
    expect(visibleMenu(entries, can([]))).toEqual([])
    expect(names(visibleMenu(entries, can(['x:read'])))).toEqual(['g', 'g-a'])
  })

  it('"*" shows everything', () => {
    expect(names(visibleMenu(menuEntries, can(['*'])))).toEqual(names(menuEntries))
  })
})

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })

function signIn(permissions: string[]) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL) => {
      const path = String(input)
      if (path === '/api/v1/me') return json(200, { user: { id: 'u-1', username: 'clerk', displayName: '周小燕', orgName: '竹阳街道', permissions } })
      if (path.startsWith('/api/v1/delegations')) return json(200, { given: [], received: [] })
      if (path === '/healthz') return json(200, { status: 'ok' })
      return json(200, { items: [], total: 0, page: 1, size: 20 })
    }),
  )
}

describe('routes guarded by permission', () => {
  beforeEach(() => {
    document.body.innerHTML = ''
    setActivePinia(createPinia())
  })
  afterEach(() => vi.unstubAllGlobals())

  it('a direct link without the permission opens the 403 page', async () => {
    signIn(['system:user:read'])
    const router = createPortalRouter(createMemoryHistory('/portal/'))
    await router.push('/system/audit')
    expect(router.currentRoute.value.name).toBe('forbidden')
    await router.push('/system/user')
    expect(router.currentRoute.value.name).toBe('system-user')
    expect(router.currentRoute.value.meta.group).toBe('系统管理')
  })

  it('the paths of the server\'s application catalog lead to the same pages', async () => {
    signIn(['security:role:read', 'system:user:read'])
    const router = createPortalRouter(createMemoryHistory('/portal/'))
    await router.push('/security/roles')
    expect(router.currentRoute.value.name).toBe('system-role')
    await router.push('/system/users')
    expect(router.currentRoute.value.name).toBe('system-user')
    await router.push('/audit')
    expect(router.currentRoute.value.name).toBe('forbidden')
  })

  it('/system opens the first page of the group the user may see', async () => {
    signIn(['system:user:read'])
    const router = createPortalRouter(createMemoryHistory('/portal/'))
    await router.push('/system')
    expect(router.currentRoute.value.name).toBe('system-user')
  })

  it('the layout renders only the permitted menu entries', async () => {
    signIn(['security:role:read'])
    const pinia = createPinia()
    setActivePinia(pinia)
    const router = createPortalRouter(createMemoryHistory('/portal/'))
    await router.push('/workbench')
    const Root = defineComponent({ render: () => h(RouterView) })
    const wrapper = mount(Root, { global: { plugins: [pinia, router] }, attachTo: document.body })
    await vi.waitFor(() => expect(wrapper.find('[data-testid="header-user"]').exists()).toBe(true), { timeout: 15_000 })
    await flushPromises()
    const html = wrapper.html()
    expect(html).toContain('data-testid="menu-system"')
    expect(html).toContain('data-testid="menu-workbench"')
    expect(html).not.toContain('data-testid="menu-datacenter"')
    // Group children are rendered when the group opens; open it.
    await wrapper.find('[data-testid="menu-system"] .el-sub-menu__title').trigger('click')
    await flushPromises()
    const opened = wrapper.html()
    expect(opened).toContain('data-testid="menu-system-role"')
    expect(opened).toContain('data-testid="menu-system-delegation"')
    expect(opened).not.toContain('data-testid="menu-system-user"')
    expect(opened).not.toContain('data-testid="menu-system-audit"')
    wrapper.unmount()
  })
})
