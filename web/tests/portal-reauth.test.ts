// Re-authentication in the api layer: a call answered 401 REAUTH_REQUIRED asks
// the app (once, shared by concurrent calls), posts /auth/reauth, and is
// retried exactly once; SESSION_EXPIRED sends a signed-in user to the login page.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory } from 'vue-router'
import { ApiError, http, setAuthHooks } from '@shared/api/http'
import { createPortalRouter } from '../apps/portal/router'
import { installAuthHooks, useReauthStore } from '../apps/portal/stores/reauth'
import { useSessionStore } from '../apps/portal/stores/session'
import { systemApi } from '../apps/portal/api/system'
import ReauthDialog from '../apps/portal/components/ReauthDialog.vue'

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
const reauthRequired = () => json(401, { code: 'REAUTH_REQUIRED', message: 're-authentication required', requestId: 'r-1' })

interface Call {
  method: string
  path: string
  body?: unknown
  headers: Record<string, string>
}

/** fetch stub answering from a queue per "METHOD path"; records every call. */
function stubFetch(answers: Record<string, (() => Response)[]>) {
  const calls: Call[] = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const method = init?.method ?? 'GET'
      const path = String(input)
      calls.push({ method, path, body: init?.body ? JSON.parse(String(init.body)) : undefined, headers: (init?.headers ?? {}) as Record<string, string> })
      const queue = answers[`${method} ${path}`]
      const next = queue?.length ? (queue.length > 1 ? queue.shift()! : queue[0]) : undefined
      return next ? next() : json(404, { code: 'NOT_FOUND', message: 'no route' })
    }),
  )
  return calls
}

const signedIn = {
  id: 'u-1',
  username: 'secadmin',
  displayName: '刘安平',
  permissions: ['security:role:grant'],
  totpEnabled: true,
}

describe('api wrapper: REAUTH_REQUIRED', () => {
  afterEach(() => {
    setAuthHooks({})
    vi.unstubAllGlobals()
    document.cookie = 'hrss_csrf=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/'
  })

  it('asks the hook, then retries the same request once with the same body and CSRF token', async () => {
    document.cookie = 'hrss_csrf=tok-1; path=/'
    const calls = stubFetch({ 'PUT /api/v1/users/u-7/roles': [reauthRequired, () => new Response(null, { status: 204 })] })
    const hook = vi.fn(async () => true)
    setAuthHooks({ reauthRequired: hook })

    await expect(http.put('/api/v1/users/u-7/roles', { roleIds: ['r-1'] })).resolves.toBeUndefined()

    expect(hook).toHaveBeenCalledTimes(1)
    expect((hook.mock.calls[0] as unknown[])[0]).toBeInstanceOf(ApiError)
    expect(calls).toHaveLength(2)
    for (const c of calls) {
      expect(c.method).toBe('PUT')
      expect(c.body).toEqual({ roleIds: ['r-1'] })
      expect(c.headers['X-CSRF-Token']).toBe('tok-1')
    }
  })

  it('throws the original error without retrying when the user cancels', async () => {
    const calls = stubFetch({ 'DELETE /api/v1/me/totp': [reauthRequired] })
    setAuthHooks({ reauthRequired: async () => false })
    const err = (await http.delete('/api/v1/me/totp').catch((e: unknown) => e)) as ApiError
    expect(err).toBeInstanceOf(ApiError)
    expect(err.code).toBe('REAUTH_REQUIRED')
    expect(calls).toHaveLength(1)
  })

  it('retries only once: a second REAUTH_REQUIRED is thrown, the hook is not asked again', async () => {
    const calls = stubFetch({ 'POST /api/v1/users/u-7/reset-password': [reauthRequired, reauthRequired] })
    const hook = vi.fn(async () => true)
    setAuthHooks({ reauthRequired: hook })
    const err = (await http.post('/api/v1/users/u-7/reset-password', { newPassword: 'x' }).catch((e: unknown) => e)) as ApiError
    expect(err.code).toBe('REAUTH_REQUIRED')
    expect(hook).toHaveBeenCalledTimes(1)
    expect(calls).toHaveLength(2)
  })

  it('never asks for calls sent with noReauth, nor without a hook', async () => {
    stubFetch({ 'POST /api/v1/auth/reauth': [reauthRequired] })
    const hook = vi.fn(async () => true)
    setAuthHooks({ reauthRequired: hook })
    await expect(http.post('/api/v1/auth/reauth', { password: 'x' }, { noReauth: true })).rejects.toMatchObject({ code: 'REAUTH_REQUIRED' })
    expect(hook).not.toHaveBeenCalled()
    setAuthHooks({})
    await expect(http.post('/api/v1/auth/reauth', {})).rejects.toMatchObject({ code: 'REAUTH_REQUIRED' })
  })

  it('reports SESSION_EXPIRED and UNAUTHENTICATED to sessionExpired, other 401s not', async () => {
    stubFetch({
      'GET /a': [() => json(401, { code: 'SESSION_EXPIRED', message: 'expired' })],
      'GET /b': [() => json(401, { code: 'UNAUTHENTICATED', message: 'signed out' })],
      'POST /c': [() => json(401, { code: 'INVALID_CREDENTIALS', message: 'wrong' })],
    })
    const expired = vi.fn()
    setAuthHooks({ sessionExpired: expired })
    await expect(http.get('/a')).rejects.toMatchObject({ code: 'SESSION_EXPIRED' })
    await expect(http.get('/b')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' })
    await expect(http.post('/c', {})).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' })
    expect(expired).toHaveBeenCalledTimes(2)
  })
})

describe('portal: reauth store and dialog', () => {
  beforeEach(() => {
    document.body.innerHTML = ''
  })
  afterEach(() => {
    setAuthHooks({})
    vi.unstubAllGlobals()
  })

  async function setup() {
    const pinia = createPinia()
    setActivePinia(pinia)
    const router = createPortalRouter(createMemoryHistory('/portal/'))
    installAuthHooks(pinia, router)
    const session = useSessionStore()
    session.user = { ...signedIn }
    session.loaded = true
    return { pinia, router, session, reauth: useReauthStore() }
  }

  it('concurrent calls share one dialog; the password goes to /auth/reauth; both calls are retried', async () => {
    const calls = stubFetch({
      'PUT /api/v1/users/u-7/roles': [reauthRequired, () => new Response(null, { status: 204 })],
      'POST /api/v1/users/u-7/unlock': [reauthRequired, () => new Response(null, { status: 204 })],
      'POST /api/v1/auth/reauth': [() => new Response(null, { status: 204 })],
    })
    const { reauth } = await setup()
    const first = systemApi.setUserRoles('u-7', ['r-1'])
    const second = systemApi.unlockUser('u-7')
    await flushPromises()
    expect(reauth.visible).toBe(true)

    await reauth.submit('password', 'demo-password')
    await expect(first).resolves.toBeUndefined()
    await expect(second).resolves.toBeUndefined()
    expect(reauth.visible).toBe(false)
    const reauthCalls = calls.filter((c) => c.path === '/api/v1/auth/reauth')
    expect(reauthCalls).toHaveLength(1)
    expect(reauthCalls[0].body).toEqual({ password: 'demo-password' })
    expect(calls.filter((c) => c.path === '/api/v1/users/u-7/roles')).toHaveLength(2)
    expect(calls.filter((c) => c.path === '/api/v1/users/u-7/unlock')).toHaveLength(2)
  })

  it('a wrong password keeps the dialog open; cancel rejects the waiting call with REAUTH_REQUIRED', async () => {
    stubFetch({
      'PUT /api/v1/users/u-7/roles': [reauthRequired],
      'POST /api/v1/auth/reauth': [() => json(401, { code: 'INVALID_CREDENTIALS', message: 'wrong' })],
    })
    const { reauth } = await setup()
    const pending = systemApi.setUserRoles('u-7', [])
    await flushPromises()
    await expect(reauth.submit('password', 'wrong')).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' })
    expect(reauth.visible).toBe(true)
    reauth.cancel()
    await expect(pending).rejects.toMatchObject({ code: 'REAUTH_REQUIRED' })
    expect(reauth.visible).toBe(false)
  })

  it('the dialog offers password and TOTP and sends the chosen one', async () => {
    const calls = stubFetch({
      'PUT /api/v1/users/u-7/roles': [reauthRequired, () => new Response(null, { status: 204 })],
      'POST /api/v1/auth/reauth': [() => new Response(null, { status: 204 })],
    })
    const { pinia } = await setup()
    const wrapper = mount(ReauthDialog, { global: { plugins: [pinia] }, attachTo: document.body })
    const pending = systemApi.setUserRoles('u-7', ['r-2'])
    await vi.waitFor(() => expect(document.body.textContent).toContain('安全验证'), { timeout: 10_000 })
    expect(document.body.textContent).toContain('动态验证码')

    const input = document.querySelector<HTMLInputElement>('input[name="reauth-password"]')!
    input.value = 'demo-password'
    input.dispatchEvent(new Event('input'))
    await flushPromises()
    document.querySelector<HTMLButtonElement>('[data-testid="reauth-submit"]')!.click()
    await expect(pending).resolves.toBeUndefined()
    expect(calls.find((c) => c.path === '/api/v1/auth/reauth')?.body).toEqual({ password: 'demo-password' })
    wrapper.unmount()
  })

  it('SESSION_EXPIRED signs the user out locally and opens the login page with a redirect back', async () => {
    stubFetch({ 'GET /api/v1/roles?page=1&size=200': [() => json(401, { code: 'SESSION_EXPIRED', message: 'expired' })] })
    const { router, session } = await setup()
    await router.push('/workbench')
    await expect(import('../apps/portal/api/security').then((m) => m.securityApi.roles())).rejects.toMatchObject({ code: 'SESSION_EXPIRED' })
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('login'), { timeout: 10_000 })
    expect(session.user).toBeNull()
    expect(router.currentRoute.value.query.redirect).toBe('/workbench')
  })
})
