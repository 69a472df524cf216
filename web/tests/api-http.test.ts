import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError, CSRF_HEADER, http, readCookie, request } from '@shared/api/http'

type FetchArgs = [RequestInfo | URL, RequestInit | undefined]

function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}) {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
  })
}

function clearCookies() {
  for (const c of document.cookie.split(';')) {
    const name = c.split('=')[0].trim()
    if (name) document.cookie = `${name}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/`
  }
}

describe('api wrapper', () => {
  let fetchMock: ReturnType<typeof vi.fn>

  beforeEach(() => {
    fetchMock = vi.fn()
    vi.stubGlobal('fetch', fetchMock)
    clearCookies()
  })
  afterEach(() => {
    vi.unstubAllGlobals()
    clearCookies()
  })

  const lastInit = () => (fetchMock.mock.calls.at(-1) as FetchArgs)[1]!
  const lastHeaders = () => lastInit().headers as Record<string, string>

  it('sends the hrss_csrf cookie as X-CSRF-Token on POST, with JSON and credentials', async () => {
    document.cookie = 'other=1; path=/'
    document.cookie = 'hrss_csrf=tok%2Fen-123; path=/'
    fetchMock.mockResolvedValue(jsonResponse(200, { ok: true }))

    const result = await http.post<{ ok: boolean }>('/api/v1/things', { name: '张三' })

    expect(result).toEqual({ ok: true })
    const [url, init] = fetchMock.mock.calls[0] as FetchArgs
    expect(url).toBe('/api/v1/things')
    expect(init?.method).toBe('POST')
    expect(init?.credentials).toBe('include')
    expect(init?.body).toBe(JSON.stringify({ name: '张三' }))
    expect(lastHeaders()[CSRF_HEADER]).toBe('tok/en-123')
    expect(lastHeaders()['Content-Type']).toBe('application/json')
  })

  it('sends the CSRF header on PUT, PATCH and DELETE but not on GET', async () => {
    document.cookie = 'hrss_csrf=abc; path=/'
    fetchMock.mockImplementation(async () => jsonResponse(200, {}))

    await http.get('/api/v1/x')
    expect(lastHeaders()[CSRF_HEADER]).toBeUndefined()
    expect(lastInit().credentials).toBe('include')
    for (const call of [() => http.put('/x', {}), () => http.patch('/x', {}), () => http.delete('/x')]) {
      await call()
      expect(lastHeaders()[CSRF_HEADER]).toBe('abc')
    }
  })

  it('omits the CSRF header when the cookie is absent', async () => {
    fetchMock.mockResolvedValue(jsonResponse(200, {}))
    await http.post('/api/v1/x', {})
    expect(lastHeaders()[CSRF_HEADER]).toBeUndefined()
  })

  it('turns the error envelope into an ApiError with code, message, status and requestId', async () => {
    fetchMock.mockResolvedValue(
      jsonResponse(409, { code: 'DUPLICATE', message: '记录已存在', requestId: 'req-42' }),
    )
    const err = await request('/api/v1/x', { method: 'POST', body: {} }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err).toMatchObject({ status: 409, code: 'DUPLICATE', message: '记录已存在', requestId: 'req-42' })
    expect((err as ApiError).fromServer).toBe(true)
  })

  it('reports a non-envelope failure (HTML 404 from a proxy) as HTTP_<status>', async () => {
    fetchMock.mockResolvedValue(new Response('<html>Not Found</html>', { status: 404, headers: { 'Content-Type': 'text/html' } }))
    const err = (await http.post('/api/v1/auth/login', {}).catch((e: unknown) => e)) as ApiError
    expect(err).toBeInstanceOf(ApiError)
    expect(err.status).toBe(404)
    expect(err.code).toBe('HTTP_404')
    expect(err.fromServer).toBe(false)
  })

  it('reports a failed connection as NETWORK_ERROR', async () => {
    fetchMock.mockRejectedValue(new TypeError('Failed to fetch'))
    const err = (await http.get('/healthz').catch((e: unknown) => e)) as ApiError
    expect(err).toBeInstanceOf(ApiError)
    expect(err.status).toBe(0)
    expect(err.code).toBe('NETWORK_ERROR')
  })

  it('reports a request that outlives its timeout as TIMEOUT', async () => {
    fetchMock.mockImplementation(
      (_url: string, init: RequestInit) =>
        new Promise((_resolve, reject) => {
          init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))
        }),
    )
    const err = (await http.get('/slow', { timeoutMs: 10 }).catch((e: unknown) => e)) as ApiError
    expect(err.code).toBe('TIMEOUT')
  })

  it('returns undefined for 204 and appends query parameters', async () => {
    fetchMock.mockResolvedValue(new Response(null, { status: 204 }))
    const res = await http.get('/api/v1/list', { query: { page: 2, q: '养老', empty: undefined } })
    expect(res).toBeUndefined()
    expect((fetchMock.mock.calls[0] as FetchArgs)[0]).toBe('/api/v1/list?page=2&q=%E5%85%BB%E8%80%81')
  })

  it('readCookie decodes values and ignores similar names', () => {
    expect(readCookie('hrss_csrf', 'xhrss_csrf=no; hrss_csrf=a%20b; z=1')).toBe('a b')
    expect(readCookie('missing', 'a=1')).toBeUndefined()
  })
})
