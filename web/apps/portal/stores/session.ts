// The signed-in staff member. The session itself is an HttpOnly cookie set by
// the server; this store only mirrors who is signed in and what they may do
// (GET /api/v1/me, asked once per page load and again after profile changes).
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { ApiError } from '@shared/api/http'
import { authApi, type LoginRequest, type SessionUser } from '../api/auth'

export type LoginOutcome = 'signed-in' | 'totp-required'

/** A permission key, or a list of keys of which any one suffices. */
export type PermissionNeed = string | readonly string[]

/**
 * True when `granted` contains `permission` (for a list: any of them) or the
 * wildcard "*"; no permission means "every signed-in user".
 */
export function hasPermission(granted: readonly string[], permission?: PermissionNeed): boolean {
  if (!permission || (Array.isArray(permission) && !permission.length)) return true
  if (granted.includes('*')) return true
  return typeof permission === 'string' ? granted.includes(permission) : permission.some((p) => granted.includes(p))
}

export const useSessionStore = defineStore('session', () => {
  const user = ref<SessionUser | null>(null)
  /** Whether the server was asked once who is signed in. */
  const loaded = ref(false)
  let loading: Promise<void> | null = null

  const isAuthenticated = computed(() => user.value !== null)
  const permissions = computed(() => user.value?.permissions ?? [])

  function can(permission?: PermissionNeed): boolean {
    return hasPermission(permissions.value, permission)
  }

  /** Permissions delegated to this user by others (they cannot be delegated again). */
  const delegatedPermissions = computed(() => new Set((user.value?.delegatedFrom ?? []).flatMap((d) => d.permissions ?? [])))

  /** Asks the server once per page load; any failure means "not signed in". */
  function ensureLoaded(): Promise<void> {
    if (loaded.value) return Promise.resolve()
    loading ??= authApi
      .me()
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

  /** Reloads the signed-in user (after a TOTP or password change). */
  async function refresh(): Promise<void> {
    const res = await authApi.me()
    user.value = res?.user ?? null
    loaded.value = true
  }

  /**
   * Signs in. Resolves 'totp-required' when the server answers 401
   * {code:"TOTP_REQUIRED"}; throws ApiError for every other failure
   * (PASSWORD_EXPIRED and TOTP_ENROLMENT_REQUIRED carry their tokens in `details`).
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

  /** The server said the session is gone (expired, revoked, forced logout). */
  function expire(): void {
    user.value = null
    loaded.value = true
  }

  return { user, loaded, isAuthenticated, permissions, delegatedPermissions, can, ensureLoaded, refresh, login, logout, expire }
})
