// Chinese wording for API errors. The server's `code` decides the sentence;
// for INVALID_ARGUMENT, PASSWORD_POLICY, CONFLICT and FAILED_PRECONDITION the
// server's own message (the broken rule) is appended.
import { ElMessage } from 'element-plus'
import 'element-plus/es/components/message/style/css'
import { ApiError } from '@shared/api/http'
import { messages } from '../i18n/messages'
import { fmt } from '../i18n/format'

const loginByCode: Record<string, string> = {
  INVALID_CREDENTIALS: messages.errors.invalidCredentials,
  TOTP_INVALID: messages.errors.totpInvalid,
  ACCOUNT_LOCKED: messages.login.lockedUntil,
  RATE_LIMITED: messages.login.rateLimited,
  ACCOUNT_DISABLED: messages.errors.disabled,
  PASSWORD_EXPIRED: messages.errors.passwordExpired,
  TOTP_ENROLMENT_REQUIRED: messages.errors.totpEnrolmentRequired,
  CSRF_INVALID: messages.errors.csrf,
  NETWORK_ERROR: messages.errors.network,
  TIMEOUT: messages.errors.timeout,
}

const hasChinese = (s: string) => /[\u4e00-\u9fff]/.test(s)

/**
 * Turns a failed login call into the Chinese sentence shown to the user.
 * A missing endpoint (404/405/501), a server that is down (502/503/504) or a
 * proxy's bare 5xx reads as "登录服务暂不可用".
 */
export function describeLoginError(err: unknown): string {
  if (!(err instanceof ApiError)) return messages.errors.unknown
  const known = loginByCode[err.code]
  if (known) return known
  if ([404, 405, 501, 502, 503, 504].includes(err.status)) return messages.errors.unavailable
  // A 5xx without the server's error envelope comes from a proxy in front of it.
  if (err.status >= 500 && !err.fromServer) return messages.errors.unavailable
  if (err.status === 401) return messages.errors.invalidCredentials
  if (err.status === 423) return messages.login.lockedUntil
  if (err.status === 429) return messages.login.rateLimited
  if (err.fromServer && hasChinese(err.message)) return err.message
  if (err.status >= 500) return messages.errors.server
  return messages.errors.unknown
}

/** Codes whose server message carries the detail the user needs (the rule, the field). */
const WITH_SERVER_MESSAGE = new Set(['INVALID_ARGUMENT', 'PASSWORD_POLICY', 'CONFLICT', 'FAILED_PRECONDITION'])
/** Codes whose server message is added only when it is Chinese (it names what was too wide). */
const WITH_CHINESE_DETAIL = new Set(['ESCALATION_DENIED', 'ADMIN_SEPARATION'])

/** The Chinese sentence for any failed API call of the portal's pages. */
export function describeApiError(err: unknown): string {
  const m = messages.apiErrors
  if (!(err instanceof ApiError)) return m.unknown
  const base = m[err.code]
  if (base) {
    const detail = err.message?.trim()
    const useDetail = WITH_SERVER_MESSAGE.has(err.code) || (WITH_CHINESE_DETAIL.has(err.code) && hasChinese(detail ?? ''))
    if (useDetail && err.fromServer && detail && detail !== err.code && detail !== base) {
      return m.withMessage.replace('{base}', base).replace('{message}', detail)
    }
    return base
  }
  if (err.status === 403) return m.PERMISSION_DENIED
  if (err.status === 404 && err.fromServer) return m.NOT_FOUND
  if (err.status === 409) return m.CONFLICT
  if (err.status === 429) return m.RATE_LIMITED
  if ([404, 405, 501, 502, 503, 504].includes(err.status)) return m.unavailable
  if (err.fromServer && hasChinese(err.message)) return err.message
  if (err.status >= 500) return m.server
  return m.unknown
}

/** The sentence plus the request id for support, when there is one. */
export function describeApiErrorWithId(err: unknown): string {
  const text = describeApiError(err)
  return err instanceof ApiError && err.requestId ? fmt(messages.common.withRequestId, { text, id: err.requestId }) : text
}

/** True for errors the central handlers already dealt with (session expired: the user is sent to login). */
function handledCentrally(err: unknown): boolean {
  return err instanceof ApiError && err.status === 401 && (err.code === 'SESSION_EXPIRED' || err.code === 'UNAUTHENTICATED')
}

/** Shows a failed call as an Element Plus message (once for an expired session). */
export function showApiError(err: unknown): void {
  if (handledCentrally(err)) return
  if (err instanceof ApiError && err.code === 'REAUTH_REQUIRED') {
    ElMessage.warning({ message: messages.reauth.cancelled, grouping: true })
    return
  }
  ElMessage.error({ message: describeApiErrorWithId(err), grouping: true, duration: 5000 })
}
