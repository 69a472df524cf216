// The analytics mock of serve-dist (scripts/mock-analytics.mjs), which the
// e2e test and the screenshots run against: its query language must agree
// with itself (drill-down sums to the parent, compare = the previous period's
// value, scope limits a township clerk) so the demo's numbers hold up.
import { describe, expect, it } from 'vitest'
// @ts-expect-error plain ES module without types
import { createMockAnalytics, describe as describeCubes, xlsx, resultSheet } from '../scripts/mock-analytics.mjs'

type Result = { rows: { keys: { code: string; label: string }[] }[]; cells: (number | null)[][][]; prev?: (number | null)[][][]; change?: (number | null)[][][]; grandTotal?: (number | null)[]; scoped: boolean; warnings?: { row: number }[] }
const all = { id: 1, permissions: ['*'] }
const clerk = { id: 7, permissions: ['analytics:query'], divisionCode: '511724001000', scopes: { jubao: { kind: 'own_org' }, shebao: { kind: 'own_org' } } }

let cubes: unknown
async function engine() {
  if (cubes) return cubes
  const handle = createMockAnalytics()
  let body: unknown
  await handle({
    req: { method: 'GET' }, res: {}, path: '/api/v1/analytics/cubes', url: new URL('http://x/api/v1/analytics/cubes'), body: async () => null,
    sendJson: (_r: unknown, _s: number, v: unknown) => (body = v), send: () => {}, err: () => {}, need: () => true, user: all, log: () => {},
  })
  cubes = (body as { cubes: unknown[] }).cubes
  return cubes
}



describe('analytics mock engine', () => {
  it('describes 31 townships and the contract\'s cubes', async () => {
    const c = (await engine()) as { name: string; dims: { name: string; members?: unknown[] }[] }[]
    expect(c.map((x) => x.name)).toEqual(['contribution', 'payment', 'enrolment', 'person', 'employment', 'case', 'handling', 'archive', 'personnel'])
    // The engine behind the handler, for direct queries below.

    expect(c[0].dims.find((d) => d.name === 'region')?.members?.length).toBe(32) // 31 townships + 县本级
    expect(typeof describeCubes).toBe('function')
  }, 60_000)

  it('a drill-down sums to its parent; compare gives the previous period; thresholds list cells', async () => {
    const handle = createMockAnalytics()
    const call = async (path: string, body: unknown, user: unknown = all) => {
      let out: unknown
      let status = 200
      await handle({
        req: { method: body ? 'POST' : 'GET' }, res: {}, path, url: new URL(`http://x${path}`), body: async () => body,
        sendJson: (_r: unknown, s: number, v: unknown) => ((status = s), (out = v)), send: (_r: unknown, s: number, v: Buffer) => ((status = s), (out = v)),
        err: (s: number, code: string, message: string) => ((status = s), (out = { code, message })), need: () => true, user, log: () => {},
      })
      return { status, body: out as Result & { code?: string; message?: string } }
    }
    const base = { cube: 'contribution', columns: [], measures: ['amount', 'records'], filters: [{ dim: 'time', level: 'year', op: 'in', values: ['2025'] }], totals: true }
    const county = (await call('/api/v1/analytics/query', { ...base, rows: [{ dim: 'region', level: 'county' }] })).body
    const towns = (await call('/api/v1/analytics/query', { ...base, rows: [{ dim: 'region', level: 'township' }], filters: [...base.filters, { dim: 'region', level: 'county', op: 'in', values: ['511724'] }] })).body
    expect(towns.rows.length).toBeGreaterThanOrEqual(31)
    const sum = towns.cells.reduce((s, r) => s + (r[0][0] ?? 0), 0)
    expect(sum).toBe(county.cells[0][0][0])
    expect(towns.grandTotal?.[0]).toBe(county.cells[0][0][0])

    const months = (await call('/api/v1/analytics/query', {
      cube: 'contribution', rows: [{ dim: 'time', level: 'month' }], columns: [], measures: ['amount'],
      filters: [{ dim: 'time', level: 'month', op: 'between', values: ['202501', '202503'] }], compare: { type: 'mom' },
      thresholds: [{ measure: 'amount', op: 'change_gt', value: -1, level: 'info' }],
    })).body
    expect(months.rows.map((r) => r.keys[0].label)).toEqual(['2025年1月', '2025年2月', '2025年3月'])
    expect(months.prev?.[1][0][0]).toBe(months.cells[0][0][0])
    expect(months.prev?.[0][0][0]).not.toBeNull() // 2024-12 is outside the filter but still the previous period
    expect(months.change?.[1][0][0]).toBeCloseTo((months.cells[1][0][0]! - months.cells[0][0][0]!) / months.cells[0][0][0]!, 5)
    expect(months.warnings).toHaveLength(3)

    const bad = await call('/api/v1/analytics/query', { cube: 'contribution', rows: [], columns: [], measures: [], totals: true })
    expect(bad.status).toBe(400)
    expect(bad.body.message).toBe('指标须为 1 至 8 个')

    // A 竹阳 clerk (居保 and 社保 scope) sees 竹阳's 居保 and 社保 rows only, and is told so.
    const mine = (await call('/api/v1/analytics/query', { ...base, rows: [{ dim: 'region', level: 'township' }] }, clerk)).body
    expect(mine.scoped).toBe(true)
    expect(mine.rows.map((r) => r.keys[0].code)).toEqual(['511724001'])
    const same = (await call('/api/v1/analytics/query', {
      ...base, rows: [{ dim: 'region', level: 'township' }],
      filters: [...base.filters, { dim: 'region', level: 'township', op: 'in', values: ['511724001'] }, { dim: 'insurance', level: 'scheme', op: 'in', values: ['jubao', 'shebao'] }],
    })).body
    expect(mine.cells[0][0][0]).toBe(same.cells[0][0][0])
    expect(same.scoped).toBe(false)

    const file = (await call('/api/v1/analytics/export', { ...base, rows: [{ dim: 'region', level: 'township' }] })).body as unknown as Buffer
    expect(file.subarray(0, 2).toString()).toBe('PK')
    expect(typeof xlsx).toBe('function')
    expect(typeof resultSheet).toBe('function')
  }, 60_000)
})
