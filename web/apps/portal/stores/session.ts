// The signed-in staff member. The session itself is an HttpOnly cookie set by
// the server; this store only mirrors who is signed in and what they may do.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { ApiError } from '@shared/api/http'
import { authApi, type LoginRequest, type SessionUser } from '../api/auth'

export type LoginOutcome = 'signed-in' | 'totp-required'

export const useSessionStore = defineStore('session', () => {
  const user = ref<SessionUser | null>(null)
  /** Whether the server was asked once who is signed in (GET /api/v1/auth/session). */
  const loaded = ref(false)
  let loading: Promise<void> | null = null

  const isAuthenticated = computed(() => user.value !== null)

  function can(permission?: string): boolean {
    if (!permission) return true
    const granted = user.value?.permissions ?? []
    return granted.includes('*') || granted.includes(permission)
  }

  /** Asks the server once per page load; any failure means "not signed in". */
  function ensureLoaded(): Promise<void> {
    if (loaded.value) return Promise.resolve()
    loading ??= authApi
      .session()
      .then((res) => {
        user.value = res?.user ?? null
      })
      .catch(() => {
        user.value = null
      })
      .finally(() => {
        loaded.value = true
        loading = null
      })
    return loading
  }

  /**
   * Signs in. Resolves 'totp-required' when the server answers 401
   * {code:"TOTP_REQUIRED"}; throws ApiError for every other failure.
   */
  async function login(req: LoginRequest): Promise<LoginOutcome> {
    try {
      const res = await authApi.login(req)
      user.value = res.user
      loaded.value = true
      return 'signed-in'
    } catch (err) {
      if (err instanceof ApiError && err.code === 'TOTP_REQUIRED') return 'totp-required'
      throw err
    }
  }

  async function logout(): Promise<void> {
    try {
      await authApi.logout()
    } catch {
      // The local session ends regardless of the server's answer.
    }
    user.value = null
    loaded.value = true
  }

  return { user, loaded, isAuthenticated, can, ensureLoaded, login, logout }
})
