import { ApiError } from '@shared/api/http'
import { messages } from '../i18n/messages'

const byCode: Record<string, string> = {
  INVALID_CREDENTIALS: messages.errors.invalidCredentials,
  TOTP_INVALID: messages.errors.totpInvalid,
  ACCOUNT_LOCKED: messages.errors.locked,
  RATE_LIMITED: messages.errors.locked,
  ACCOUNT_DISABLED: messages.errors.disabled,
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
  const known = byCode[err.code]
  if (known) return known
  if ([404, 405, 501, 502, 503, 504].includes(err.status)) return messages.errors.unavailable
  // A 5xx without the server's error envelope comes from a proxy in front of it.
  if (err.status >= 500 && !err.fromServer) return messages.errors.unavailable
  if (err.status === 401) return messages.errors.invalidCredentials
  if (err.status === 429) return messages.errors.locked
  if (err.fromServer && hasChinese(err.message)) return err.message
  if (err.status >= 500) return messages.errors.server
  return messages.errors.unknown
}
