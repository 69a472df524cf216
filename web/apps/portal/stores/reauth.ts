// Re-authentication for sensitive actions. Any API call answered
// 401 REAUTH_REQUIRED lands here through the http wrapper's reauthRequired hook:
// the dialog (components/ReauthDialog.vue) asks for the password or a TOTP code,
// POST /api/v1/auth/reauth confirms it, and the wrapper retries the call once.
// Calls failing together share one dialog.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { Pinia } from 'pinia'
import type { Router } from 'vue-router'
import { ElMessage } from 'element-plus'
import 'element-plus/es/components/message/style/css'
import { setAuthHooks } from '@shared/api/http'
import { authApi } from '../api/auth'
import { useSessionStore } from './session'
import { messages } from '../i18n/messages'

export type ReauthMethod = 'password' | 'totp'

export const useReauthStore = defineStore('reauth', () => {
  const visible = ref(false)
  let pending: Promise<boolean> | null = null
  let settle: ((ok: boolean) => void) | null = null

  /** Opens the dialog (or joins the open one); resolves true once the user re-authenticated. */
  function request(): Promise<boolean> {
    if (pending) return pending
    visible.value = true
    pending = new Promise<boolean>((resolve) => {
      settle = resolve
    })
    return pending
  }

  function finish(ok: boolean) {
    const done = settle
    pending = null
    settle = null
    visible.value = false
    done?.(ok)
  }

  /** Sends the password or code; throws ApiError (dialog stays open) when it is wrong. */
  async function submit(method: ReauthMethod, secret: string): Promise<void> {
    await authApi.reauth(method === 'password' ? { password: secret } : { totp: secret })
    finish(true)
  }

  function cancel() {
    finish(false)
  }

  return { visible, request, submit, cancel }
})

/**
 * Connects the http wrapper to the portal: REAUTH_REQUIRED opens the dialog,
 * SESSION_EXPIRED / UNAUTHENTICATED of a signed-in user goes back to the login page.
 */
export function installAuthHooks(pinia: Pinia, router: Router): void {
  setAuthHooks({
    reauthRequired: () => {
      const session = useSessionStore(pinia)
      if (!session.isAuthenticated) return Promise.resolve(false)
      return useReauthStore(pinia).request()
    },
    sessionExpired: () => {
      const session = useSessionStore(pinia)
      if (!session.isAuthenticated) return
      session.expire()
      useReauthStore(pinia).cancel()
      ElMessage.warning({ message: messages.layout.sessionExpired, grouping: true })
      const current = router.currentRoute.value
      if (current.name !== 'login') {
        void router.replace({ name: 'login', query: current.fullPath !== '/' ? { redirect: current.fullPath } : {} })
      }
    },
  })
}
