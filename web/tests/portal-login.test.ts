// The login page: Chinese validation messages, the TOTP step on
// 401 {code:"TOTP_REQUIRED"}, and a clear message when the login API is missing.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, type Router } from 'vue-router'
import { defineComponent, h } from 'vue'
import { RouterView } from 'vue-router'
import { createPortalRouter } from '../apps/portal/router'
import { messages } from '../apps/portal/i18n/messages'

type Handler = (body: Record<string, unknown> | undefined) => Response

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })

const user = { id: 'u1', username: 'wangfang', displayName: '王芳', orgName: '大竹县社保中心', permissions: ['*'] }

/** A fake server: path → handler; anything else answers 404 like a server without the route. */
function fakeServer(routes: Record<string, Handler>) {
  const calls: { path: string; body?: Record<string, unknown>; headers: Record<string, string> }[] = []
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const path = String(input)
    const body = init?.body ? (JSON.parse(String(init.body)) as Record<string, unknown>) : undefined
    calls.push({ path, body, headers: (init?.headers ?? {}) as Record<string, string> })
    const handler = routes[path]
    return handler ? handler(body) : json(404, { code: 'NOT_FOUND', message: 'no route', requestId: 'r-404' })
  })
  vi.stubGlobal('fetch', fetchMock)
  return { calls, fetchMock }
}

const Root = defineComponent({ render: () => h(RouterView) })

async function mountLogin(): Promise<{ wrapper: VueWrapper; router: Router }> {
  const pinia = createPinia()
  setActivePinia(pinia)
  const router = createPortalRouter(createMemoryHistory('/portal/'))
  router.push('/login')
  await router.isReady()
  const wrapper = mount(Root, { global: { plugins: [pinia, router] }, attachTo: document.body })
  await flushPromises()
  return { wrapper, router }
}

/** Lets promises, form validation (which uses timers) and re-renders finish. */
async function settle() {
  for (let i = 0; i < 5; i++) {
    await flushPromises()
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

async function fill(wrapper: VueWrapper, name: string, value: string) {
  const input = wrapper.find(`input[name="${name}"]`)
  expect(input.exists(), `input ${name}`).toBe(true)
  await input.setValue(value)
}

async function submit(wrapper: VueWrapper) {
  await wrapper.find('form').trigger('submit')
  await settle()
}

describe('portal login page', () => {
  let mounted: VueWrapper | undefined

  beforeEach(() => {
    document.body.innerHTML = ''
  })
  afterEach(() => {
    mounted?.unmount()
    mounted = undefined
    vi.unstubAllGlobals()
  })

  it('shows the form with Chinese labels', async () => {
    fakeServer({})
    const { wrapper } = await mountLogin()
    mounted = wrapper
    const text = wrapper.text()
    expect(text).toContain(messages.login.title)
    expect(text).toContain('用户名')
    expect(text).toContain('密码')
    expect(wrapper.find('[data-testid="login-submit"]').text()).toBe('登录')
  })

  it('validates required fields with Chinese messages and does not call the API', async () => {
    const { calls } = fakeServer({})
    const { wrapper } = await mountLogin()
    mounted = wrapper
    await submit(wrapper)
    expect(wrapper.text()).toContain('请输入用户名')
    expect(wrapper.text()).toContain('请输入密码')
    expect(calls.filter((c) => c.path === '/api/v1/auth/login')).toHaveLength(0)
  })

  it('asks for a TOTP code when the server answers TOTP_REQUIRED, then signs in', async () => {
    const { calls } = fakeServer({
      '/api/v1/me': () => json(401, { code: 'UNAUTHENTICATED', message: '未登录', requestId: 'r1' }),
      '/api/v1/auth/login': (body) =>
        body?.totp === '123456'
          ? json(200, { user })
          : json(401, { code: 'TOTP_REQUIRED', message: '需要动态验证码', requestId: 'r2' }),
      '/healthz': () => json(200, { status: 'ok', version: '0.1.0', uptimeSeconds: 90061, storage: { relational: 'ok' } }),
    })
    const { wrapper, router } = await mountLogin()
    mounted = wrapper

    await fill(wrapper, 'username', ' wangfang ')
    await fill(wrapper, 'password', 'correct horse')
    await submit(wrapper)

    expect(wrapper.find('[data-testid="totp-step"]').exists()).toBe(true)
    expect(wrapper.text()).toContain(messages.login.totpHint)
    expect(wrapper.find('[data-testid="login-error"]').exists()).toBe(false)
    const first = calls.find((c) => c.path === '/api/v1/auth/login')
    expect(first?.body).toEqual({ username: 'wangfang', password: 'correct horse' })

    // A code that is not 6 digits is rejected locally, in Chinese.
    await fill(wrapper, 'totp', '12ab')
    await submit(wrapper)
    expect(wrapper.text()).toContain('动态验证码为 6 位数字')
    expect(calls.filter((c) => c.path === '/api/v1/auth/login')).toHaveLength(1)

    await fill(wrapper, 'totp', '123456')
    await submit(wrapper)
    const logins = calls.filter((c) => c.path === '/api/v1/auth/login')
    expect(logins).toHaveLength(2)
    expect(logins[1].body).toEqual({ username: 'wangfang', password: 'correct horse', totp: '123456' })
    // The layout and workbench are lazy chunks: wait for them to load.
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('workbench'), { timeout: 15_000 })
    await vi.waitFor(() => expect(wrapper.find('[data-testid="header-user"]').exists()).toBe(true), { timeout: 15_000 })
    expect(wrapper.text()).toContain('王芳')
    expect(wrapper.text()).toContain('大竹县社保中心')
    // The workbench asks /healthz and shows the platform status.
    await vi.waitFor(() => expect(wrapper.find('[data-testid="platform-status-tag"]').text()).toBe('运行正常'))
    expect(wrapper.find('[data-testid="platform-status"]').text()).toContain('1天 1小时 1分钟')
  })

  it('says the login service is unavailable when the API does not exist (404)', async () => {
    fakeServer({})
    const { wrapper } = await mountLogin()
    mounted = wrapper
    await fill(wrapper, 'username', 'admin')
    await fill(wrapper, 'password', 'secret')
    await submit(wrapper)
    const alert = wrapper.find('[data-testid="login-error"]')
    expect(alert.exists()).toBe(true)
    expect(alert.text()).toContain('登录服务暂不可用')
    expect(wrapper.find('[data-testid="password-step"]').exists()).toBe(true)
  })

  it('says the server cannot be reached on a network error', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))))
    const { wrapper } = await mountLogin()
    mounted = wrapper
    await fill(wrapper, 'username', 'admin')
    await fill(wrapper, 'password', 'secret')
    await submit(wrapper)
    expect(wrapper.find('[data-testid="login-error"]').text()).toContain(messages.errors.network)
  })

  it('shows wrong credentials in Chinese with the request id', async () => {
    fakeServer({
      '/api/v1/auth/login': () => json(401, { code: 'INVALID_CREDENTIALS', message: 'bad', requestId: 'req-77' }),
    })
    const { wrapper } = await mountLogin()
    mounted = wrapper
    await fill(wrapper, 'username', 'admin')
    await fill(wrapper, 'password', 'wrong')
    await submit(wrapper)
    const alert = wrapper.find('[data-testid="login-error"]').text()
    expect(alert).toContain('用户名或密码错误')
    expect(alert).toContain('req-77')
  })

  it('asks GET /api/v1/me who is signed in and skips the login page for a signed-in user', async () => {
    const { calls } = fakeServer({
      '/api/v1/me': () => json(200, { user }),
      '/healthz': () => json(200, { status: 'ok' }),
    })
    setActivePinia(createPinia())
    const router = createPortalRouter(createMemoryHistory('/portal/'))
    router.push('/login')
    await router.isReady()
    expect(router.currentRoute.value.name).toBe('workbench')
    expect(calls.map((c) => c.path)).toContain('/api/v1/me')
  })

  it.each([
    [423, 'ACCOUNT_LOCKED', '账号已锁定，请 15 分钟后再试'],
    [429, 'RATE_LIMITED', '登录尝试过于频繁，请稍后再试'],
    [403, 'ACCOUNT_DISABLED', '账号已停用'],
  ])('shows %s %s in Chinese', async (status, code, text) => {
    fakeServer({ '/api/v1/auth/login': () => json(status, { code, message: code, requestId: 'r-9' }) })
    const { wrapper } = await mountLogin()
    mounted = wrapper
    await fill(wrapper, 'username', 'wangfang')
    await fill(wrapper, 'password', 'secret')
    await submit(wrapper)
    expect(wrapper.find('[data-testid="login-error"]').text()).toContain(text)
  })

  it('PASSWORD_EXPIRED opens a dialog that sets the new password with the change token', async () => {
    const { calls } = fakeServer({
      '/api/v1/auth/login': () =>
        json(403, { code: 'PASSWORD_EXPIRED', message: 'expired', requestId: 'r-5', changeToken: 'ct-123' }),
      '/api/v1/auth/password/expired': () => new Response(null, { status: 204 }),
    })
    const { wrapper } = await mountLogin()
    mounted = wrapper
    await fill(wrapper, 'username', 'wangfang')
    await fill(wrapper, 'password', 'Old-pass-2024')
    await submit(wrapper)
    await vi.waitFor(() => expect(document.body.textContent).toContain('密码已过期，请设置新密码'), { timeout: 10_000 })

    const setInput = async (name: string, value: string) => {
      const el = document.querySelector<HTMLInputElement>(`input[name="${name}"]`)!
      el.value = value
      el.dispatchEvent(new Event('input'))
      await flushPromises()
    }
    // A password breaking the policy is refused locally.
    await setInput('expired-new-password', 'short')
    await setInput('expired-confirm-password', 'short')
    document.querySelector<HTMLButtonElement>('[data-testid="expired-submit"]')!.click()
    await settle()
    expect(document.body.textContent).toContain('密码长度至少 8 位')
    expect(calls.filter((c) => c.path === '/api/v1/auth/password/expired')).toHaveLength(0)

    await setInput('expired-new-password', 'New-pass-2025')
    await setInput('expired-confirm-password', 'New-pass-2025')
    document.querySelector<HTMLButtonElement>('[data-testid="expired-submit"]')!.click()
    await settle()
    const change = calls.find((c) => c.path === '/api/v1/auth/password/expired')
    expect(change?.body).toEqual({ username: 'wangfang', changeToken: 'ct-123', newPassword: 'New-pass-2025' })
    expect(wrapper.find('[data-testid="login-info"]').text()).toContain('密码已更新，请使用新密码登录')
  })

  it('TOTP_ENROLMENT_REQUIRED shows the QR code as an image, confirms the code, then asks for a TOTP', async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><rect width="1" height="1"/></svg>'
    const { calls } = fakeServer({
      '/api/v1/auth/login': () =>
        json(403, { code: 'TOTP_ENROLMENT_REQUIRED', message: 'enrol', requestId: 'r-6', enrolmentToken: 'et-1' }),
      '/api/v1/auth/totp/enroll': () => json(200, { secret: 'JBSWY3DPEHPK3PXP', otpauthUri: 'otpauth://totp/x?secret=JBSWY3DPEHPK3PXP', qrSvg: svg }),
      '/api/v1/auth/totp/confirm': () => new Response(null, { status: 204 }),
    })
    const { wrapper } = await mountLogin()
    mounted = wrapper
    await fill(wrapper, 'username', 'newadmin')
    await fill(wrapper, 'password', 'secret')
    await submit(wrapper)
    await vi.waitFor(() => expect(wrapper.find('[data-testid="totp-qr"]').exists()).toBe(true), { timeout: 10_000 })
    const img = wrapper.find('[data-testid="totp-qr"]')
    expect(img.element.tagName).toBe('IMG')
    const src = img.attributes('src')!
    expect(src.startsWith('data:image/svg+xml;base64,')).toBe(true)
    expect(atob(src.split(',')[1])).toBe(svg)
    // The markup never reaches the DOM as HTML.
    expect(document.querySelector('script')).toBeNull()
    expect(wrapper.find('[data-testid="totp-secret"]').text()).toBe('JBSW Y3DP EHPK 3PXP')
    expect(calls.find((c) => c.path === '/api/v1/auth/totp/enroll')?.body).toEqual({ username: 'newadmin', enrolmentToken: 'et-1' })

    await fill(wrapper, 'enrol-code', '654321')
    await submit(wrapper)
    expect(calls.find((c) => c.path === '/api/v1/auth/totp/confirm')?.body).toEqual({ username: 'newadmin', enrolmentToken: 'et-1', code: '654321' })
    expect(wrapper.find('[data-testid="totp-step"]').exists()).toBe(true)
  })

  it('returns to the single sign-on endpoint by a full page load after sign-in', async () => {
    fakeServer({
      '/api/v1/me': () => json(401, { code: 'UNAUTHENTICATED', message: '未登录', requestId: 'r1' }),
      '/api/v1/auth/login': () => json(200, { user }),
    })
    const assign = vi.fn()
    vi.stubGlobal('location', { ...window.location, assign })
    setActivePinia(createPinia())
    const router = createPortalRouter(createMemoryHistory('/portal/'))
    const authorize = '/oidc/authorize?client_id=jubao&state=s1'
    router.push({ path: '/login', query: { redirect: authorize } })
    await router.isReady()
    const wrapper = mount(Root, { global: { plugins: [router] }, attachTo: document.body })
    mounted = wrapper
    await settle()
    await fill(wrapper, 'username', 'clerk_zhuyang')
    await fill(wrapper, 'password', 'Dazhu@2026')
    await submit(wrapper)
    expect(assign).toHaveBeenCalledWith(authorize)
  })

  it('never follows a redirect to another site after sign-in', async () => {
    fakeServer({
      '/api/v1/me': () => json(401, { code: 'UNAUTHENTICATED', message: '未登录', requestId: 'r1' }),
      '/api/v1/auth/login': () => json(200, { user }),
    })
    const assign = vi.fn()
    vi.stubGlobal('location', { ...window.location, assign })
    setActivePinia(createPinia())
    const router = createPortalRouter(createMemoryHistory('/portal/'))
    router.push({ path: '/login', query: { redirect: '//evil.example/oidc/' } })
    await router.isReady()
    const wrapper = mount(Root, { global: { plugins: [router] }, attachTo: document.body })
    mounted = wrapper
    await settle()
    await fill(wrapper, 'username', 'clerk_zhuyang')
    await fill(wrapper, 'password', 'Dazhu@2026')
    await submit(wrapper)
    expect(assign).not.toHaveBeenCalled()
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('workbench'), { timeout: 15_000 })
  })

  it('sends signed-out users of a deep route to the login page and back after sign-in', async () => {
    fakeServer({ '/api/v1/auth/login': () => json(200, { user }) })
    setActivePinia(createPinia())
    const router = createPortalRouter(createMemoryHistory('/portal/'))
    router.push('/some/deep/route')
    await router.isReady()
    expect(router.currentRoute.value.name).toBe('login')
    expect(router.currentRoute.value.query.redirect).toBe('/some/deep/route')
  })
})
