import { afterEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import PlatformStatusCard from '../apps/portal/components/PlatformStatusCard.vue'
import { formatUptime, storageEntries, storageStatus } from '../apps/portal/components/formatUptime'
import { messages } from '../apps/portal/i18n/messages'

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })

describe('platform status card (GET /healthz)', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('formats uptime in Chinese units', () => {
    expect(formatUptime(42)).toBe('42秒')
    expect(formatUptime(3_725)).toBe('1小时 2分钟')
    expect(formatUptime(90_061)).toBe('1天 1小时 1分钟')
    expect(formatUptime(172_800)).toBe('2天 0小时 0分钟')
  })

  it('reads storage entries given as strings or objects', () => {
    expect(storageStatus('ok')).toBe('ok')
    expect(storageStatus({ status: 'degraded', detail: 'x' })).toBe('degraded')
    expect(storageStatus(true)).toBe('ok')
    expect(storageStatus(42)).toBe('unknown')
  })

  it('reads the server\'s single-store report as one store named by its driver', () => {
    expect(storageEntries({ driver: 'sqlite', ok: true, latencyMicros: 59, poolSize: 1, poolInUse: 0 })).toEqual([{ key: 'sqlite', status: 'ok' }])
    expect(storageEntries({ driver: 'mariadb', ok: false })).toEqual([{ key: 'mariadb', status: 'down' }])
    expect(storageEntries({ relational: 'ok', files: { status: 'ok' } })).toEqual([
      { key: 'relational', status: 'ok' },
      { key: 'files', status: 'ok' },
    ])
    expect(storageEntries(undefined)).toEqual([])
  })

  it('shows version, uptime and each store', async () => {
    const fetchMock = vi.fn(async (_url: string) =>
      json(200, {
        status: 'ok',
        version: '0.1.0+abc',
        uptimeSeconds: 3_725,
        storage: { relational: { status: 'ok', driver: 'sqlite' }, hot: 'ok', files: 'down' },
      }),
    )
    vi.stubGlobal('fetch', fetchMock)
    const wrapper = mount(PlatformStatusCard)
    await vi.waitFor(() => expect(wrapper.find('[data-testid="platform-status-tag"]').text()).toBe('运行正常'))
    expect(fetchMock.mock.calls[0][0]).toBe('/healthz')
    const text = wrapper.text()
    expect(text).toContain('0.1.0+abc')
    expect(text).toContain('1小时 2分钟')
    expect(text).toContain('关系数据库：运行正常')
    expect(text).toContain('热数据存储：运行正常')
    expect(text).toContain('文件存储：down')
  })

  it('says so when the status cannot be fetched', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))))
    const wrapper = mount(PlatformStatusCard)
    await vi.waitFor(() =>
      expect(wrapper.find('[data-testid="platform-status-tag"]').text()).toBe(messages.workbench.statusFailed),
    )
  })
})
