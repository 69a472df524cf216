// The one fetch wrapper every app uses to talk to the hrss server.
//
// Contract with the server (see web/README.md):
// - Requests and responses are JSON; cookies travel with every request
//   (credentials: 'include'), the session lives in an HttpOnly cookie.
// - CSRF (double-submit cookie): the server sets a readable cookie `hrss_csrf`;
//   on every unsafe method (POST, PUT, PATCH, DELETE) the wrapper copies its
//   value into the `X-CSRF-Token` header and the server compares the two.
// - Errors have one shape, `{"code": "...", "message": "...", "requestId": "..."}`,
//   with a matching HTTP status; the wrapper throws it as an ApiError.
//   Failures without that body (network down, a proxy's HTML 404/502, a
//   timeout) are thrown as ApiError too, with codes NETWORK_ERROR, TIMEOUT or
//   HTTP_<status>, so callers handle one error type.
//
// User-facing wording is not chosen here: each app maps `code`/`status` to its
// own Chinese messages.
//
// Authentication hooks (setAuthHooks): an app may register
// - reauthRequired(err): called when a request fails with 401 REAUTH_REQUIRED
//   (a sensitive action needs a fresh password/TOTP check). It resolves true
//   once the user re-authenticated; the wrapper then sends the same request
//   again, exactly once. Resolving false (the user cancelled) rethrows the
//   original error. Requests sent with `noReauth` never trigger it (the
//   re-authentication call itself, the login).
// - sessionExpired(err): told about 401 SESSION_EXPIRED / UNAUTHENTICATED so
//   the app can send the user back to its login page. The error is still thrown.

export const CSRF_COOKIE = 'hrss_csrf'
export const CSRF_HEADER = 'X-CSRF-Token'
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
const DEFAULT_TIMEOUT_MS = 15_000

/** The server's error envelope. */
export interface ErrorEnvelope {
  code: string
  message: string
  requestId?: string
}

export class ApiError extends Error {
  /** HTTP status; 0 when no response arrived (network error, timeout). */
  readonly status: number
  /** Server error code such as TOTP_REQUIRED, or NETWORK_ERROR / TIMEOUT / HTTP_<status>. */
  readonly code: string
  readonly requestId?: string
  /** The whole error body when the server sent its envelope; some codes carry extra fields (e.g. changeToken). */
  readonly details?: Record<string, unknown>

  constructor(status: number, code: string, message: string, requestId?: string, details?: Record<string, unknown>) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.requestId = requestId
    this.details = details
  }

  /** True when the server itself answered with its error envelope. */
  get fromServer(): boolean {
    return this.status > 0 && !this.code.startsWith('HTTP_')
  }
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface RequestOptions {
  method?: HttpMethod
  /** Serialized as JSON. */
  body?: unknown
  query?: Record<string, string | number | boolean | undefined | null>
  headers?: Record<string, string>
  signal?: AbortSignal
  timeoutMs?: number
  /** Never ask for re-authentication on 401 REAUTH_REQUIRED (used by login and reauth calls). */
  noReauth?: boolean
}

export const REAUTH_REQUIRED = 'REAUTH_REQUIRED'

export interface AuthHooks {
  /** Resolves true when the user re-authenticated and the request may be retried once. */
  reauthRequired?: (err: ApiError) => Promise<boolean>
  /** The session ended (expired, revoked, signed out elsewhere). */
  sessionExpired?: (err: ApiError) => void
}

let authHooks: AuthHooks = {}

/** Registers the app's authentication hooks; call with {} to remove them. */
export function setAuthHooks(hooks: AuthHooks): void {
  authHooks = hooks
}

/** Reads a cookie visible to scripts; undefined when absent. */
export function readCookie(name: string, cookieString: string = document.cookie): string | undefined {
  for (const part of cookieString.split(';')) {
    const eq = part.indexOf('=')
    if (eq < 0) continue
    if (part.slice(0, eq).trim() === name) {
      const raw = part.slice(eq + 1).trim()
      try {
        return decodeURIComponent(raw)
      } catch {
        return raw
      }
    }
  }
  return undefined
}

function isErrorEnvelope(value: unknown): value is ErrorEnvelope {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ErrorEnvelope).code === 'string' &&
    typeof (value as ErrorEnvelope).message === 'string'
  )
}

function buildUrl(path: string, query?: RequestOptions['query']): string {
  if (!query) return path
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null) params.append(key, String(value))
  }
  const qs = params.toString()
  if (!qs) return path
  return path + (path.includes('?') ? '&' : '?') + qs
}

async function readBody(response: Response): Promise<unknown> {
  if (response.status === 204 || response.status === 205) return undefined
  const text = await response.text()
  if (!text) return undefined
  const type = response.headers.get('content-type') ?? ''
  if (type.includes('json')) {
    try {
      return JSON.parse(text)
    } catch {
      return undefined
    }
  }
  return text
}

/**
 * Sends a request and returns the parsed JSON body, or throws ApiError.
 * A 401 REAUTH_REQUIRED goes through the reauthRequired hook and, when the
 * user re-authenticated, is retried once; a second REAUTH_REQUIRED is thrown.
 */
export async function request<T = unknown>(path: string, options: RequestOptions = {}): Promise<T> {
  try {
    return await send<T>(path, options)
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 401) throw err
    if (err.code === REAUTH_REQUIRED) {
      const hook = authHooks.reauthRequired
      if (!hook || options.noReauth) throw err
      if (!(await hook(err))) throw err
      try {
        return await send<T>(path, options)
      } catch (retryErr) {
        notifyExpired(retryErr)
        throw retryErr
      }
    }
    notifyExpired(err)
    throw err
  }
}

function notifyExpired(err: unknown) {
  if (err instanceof ApiError && err.status === 401 && (err.code === 'SESSION_EXPIRED' || err.code === 'UNAUTHENTICATED')) {
    authHooks.sessionExpired?.(err)
  }
}

/** Sends one request, no hooks. */
async function send<T>(path: string, options: RequestOptions): Promise<T> {
  const method = options.method ?? 'GET'
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers }
  let body: string | undefined
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(options.body)
  }
  if (UNSAFE_METHODS.has(method)) {
    const token = readCookie(CSRF_COOKIE)
    if (token) headers[CSRF_HEADER] = token
  }

  const controller = new AbortController()
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    controller.abort()
  }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS)
  const onOuterAbort = () => controller.abort()
  options.signal?.addEventListener('abort', onOuterAbort)

  let response: Response
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      body,
      credentials: 'include',
      signal: controller.signal,
    })
  } catch (err) {
    if (timedOut) throw new ApiError(0, 'TIMEOUT', `request timed out: ${method} ${path}`)
    if (options.signal?.aborted) throw err
    throw new ApiError(0, 'NETWORK_ERROR', `network error: ${method} ${path}: ${String(err)}`)
  } finally {
    clearTimeout(timer)
    options.signal?.removeEventListener('abort', onOuterAbort)
  }

  const payload = await readBody(response)
  if (!response.ok) {
    if (isErrorEnvelope(payload)) {
      throw new ApiError(
        response.status,
        payload.code,
        payload.message,
        payload.requestId ?? undefined,
        payload as unknown as Record<string, unknown>,
      )
    }
    throw new ApiError(
      response.status,
      `HTTP_${response.status}`,
      `HTTP ${response.status} ${response.statusText}`.trim(),
      response.headers.get('x-request-id') ?? undefined,
    )
  }
  return payload as T
}

export const http = {
  get: <T>(path: string, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    request<T>(path, { ...options, method: 'GET' }),
  post: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    request<T>(path, { ...options, method: 'POST', body }),
  put: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    request<T>(path, { ...options, method: 'PUT', body }),
  patch: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    request<T>(path, { ...options, method: 'PATCH', body }),
  delete: <T>(path: string, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    request<T>(path, { ...options, method: 'DELETE' }),
}
