#!/usr/bin/env node
// End-to-end test of 多维分析 and the 数据分析 pages in Chromium, against the
// serve-dist mock (`npm run serve:dist`) now and the real server later:
//   1. a county-wide user drags 区域 into 行 and sees 大竹县 with the amount the
//      API returns for the same query (to the fen, shown in 元);
//   2. clicks 大竹县 to drill down to the townships: the breadcrumb shows 大竹县,
//      every township's amount is the API's, they add up to the county total;
//   3. drills a township by 时间 · 年 (drill by), then goes back up with the
//      breadcrumb;
//   4. adds 时间 to 列 by clicking (no drag), sorts by a measure header,
//      switches to the bar chart;
//   5. saves the view pinned to the workbench and finds it there (then deletes it);
//   6. 领导视图 shows KPI cards;
//   7. a township clerk sees only her township and the 按数据权限统计 badge.
// Numbers are never hard-coded: each is checked against the query API.
//
//   HRSS_BASE_URL          default http://127.0.0.1:4180 (serve-dist --mock-api)
//   HRSS_E2E_USER          county-wide user with analytics:query and analytics:view:manage (default leader)
//   HRSS_E2E_CLERK         a township clerk with analytics:query (default clerk_zhuyang; "-" skips step 7)
//   HRSS_E2E_PASSWORD      password of both (default demo, the mock's; the demo server's is Dazhu@2026)
//   HRSS_SCREENSHOT_DIR    default web/e2e/out/analytics-e2e/
//   HRSS_CHROMIUM          default /usr/bin/chromium
// Prints one line per check and "N passed, M failed"; exits non-zero on a failure.
import { chromium } from 'playwright-core'
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { assert, createHarness } from './harness.mjs'
import { portalSession } from './portal-session.mjs'

const baseUrl = (process.env.HRSS_BASE_URL || 'http://127.0.0.1:4180').replace(/\/+$/, '')
const userName = process.env.HRSS_E2E_USER || 'leader'
const clerkName = process.env.HRSS_E2E_CLERK || 'clerk_zhuyang'
const password = process.env.HRSS_E2E_PASSWORD || 'demo'
const shotDir = resolve(process.env.HRSS_SCREENSHOT_DIR || fileURLToPath(new URL('./out/analytics-e2e/', import.meta.url)))
const executablePath = process.env.HRSS_CHROMIUM || '/usr/bin/chromium'
const TIMEOUT_MS = 20_000
mkdirSync(shotDir, { recursive: true })

const { check, fail, finish } = createHarness()
const yuan = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
const asYuan = (fen) => yuan.format(fen / 100)

const browser = await chromium.launch({
  executablePath,
  headless: true,
  timeout: 60_000,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
})
const pageErrors = []

const session = (username) =>
  portalSession(browser, { baseUrl, username, password, timeoutMs: TIMEOUT_MS, pageErrors })
/** The query API with the page's session (and CSRF token). */
async function api(page, method, path, body) {
  return page.evaluate(async ({ method, path, body }) => {
    const csrf = document.cookie.split(';').map((c) => c.trim()).find((c) => c.startsWith('hrss_csrf='))?.slice(10) ?? ''
    const r = await fetch(path, {
      method, credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': decodeURIComponent(csrf) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await r.text()
    return { status: r.status, body: text ? JSON.parse(text) : null }
  }, { method, path, body })
}
const query = async (page, q) => {
  const r = await api(page, 'POST', '/api/v1/analytics/query', q)
  assert(r.status === 200, `query answered ${r.status}: ${JSON.stringify(r.body)}`)
  return r.body
}
/** Screenshot once no query is running (the loading mask is gone). */
async function shot(page, name) {
  await page.waitForFunction(() => ![...document.querySelectorAll('.el-loading-mask')].some((m) => m.offsetParent !== null), null, { timeout: TIMEOUT_MS }).catch(() => {})
  await page.waitForTimeout(400)
  await page.screenshot({ path: join(shotDir, `${name}.png`) })
}
const raw = async (page, testid) => Number(await page.locator(`[data-testid="${testid}"]`).getAttribute('data-raw'))
const text = (page, testid) => page.locator(`[data-testid="${testid}"] .pv__num`).first().innerText()
/** Waits until the table shows rows at the given level of 区域 (first row member code length). */
async function waitRows(page, predicate, what) {
  // Polled from Node: the portal's CSP (script-src 'self') forbids building
  // the predicate inside the page with new Function.
  const deadline = Date.now() + TIMEOUT_MS
  for (;;) {
    const codes = await page
      .locator('[data-testid^="pivot-member-"][data-testid$="-0"]')
      .evaluateAll((cells) => cells.map((c) => c.getAttribute('data-code')))
      .catch(() => [])
    if (predicate(codes)) return
    if (Date.now() > deadline) throw new Error(`table did not show ${what}`)
    await page.waitForTimeout(150)
  }
}

const BASE = { cube: 'contribution', rows: [], columns: [], measures: ['amount', 'persons'] }
try {
  const { page } = await session(userName)

  await check('drag 区域 into 行: 大竹县 with the API\'s amount', async () => {
    await page.goto(`${baseUrl}/portal/analytics/pivot?q=${encodeURIComponent(JSON.stringify(BASE))}`)
    await page.locator('[data-testid="pivot-table"]').waitFor()
    await page.locator('[data-testid="field-region"]').dragTo(page.locator('[data-testid="zone-rows"]'))
    await page.locator('[data-testid="zone-rows-region"]').waitFor()
    await waitRows(page, (codes) => codes.length === 1 && codes[0] === '511724', 'the county')
    const expected = await query(page, { ...BASE, rows: [{ dim: 'region', level: 'county' }] })
    const fen = expected.cells[0][0][0]
    assert((await raw(page, 'pivot-cell-0-0-0')) === fen, `cell ${await raw(page, 'pivot-cell-0-0-0')} ≠ API ${fen}`)
    assert((await text(page, 'pivot-cell-0-0-0')) === asYuan(fen), `shown ${await text(page, 'pivot-cell-0-0-0')}, expected ${asYuan(fen)} 元`)
    assert((await raw(page, 'pivot-cell-0-0-1')) === expected.cells[0][0][1], 'persons differ from the API')
    await shot(page, '01-county')
  })

  let county = 0
  let towns = []
  await check('click 大竹县: drills down to the townships, numbers match the API and add up', async () => {
    county = await raw(page, 'pivot-cell-0-0-0')
    await page.locator('[data-testid="pivot-drill-511724"]').click()
    await waitRows(page, (codes) => codes.length >= 2 && codes.every((c) => c.length === 9 || c === '511724'), 'townships')
    assert((await page.locator('[data-testid="pivot-crumb-1"]').innerText()).includes('大竹县'), 'breadcrumb lacks 大竹县')
    const expected = await query(page, { ...BASE, rows: [{ dim: 'region', level: 'township' }], filters: [{ dim: 'region', level: 'county', op: 'in', values: ['511724'] }], totals: true })
    const n = await page.locator('[data-testid^="pivot-row-"]').count()
    assert(n === expected.rows.length, `${n} rows shown, API has ${expected.rows.length}`)
    towns = expected.rows.map((r) => r.keys[0])
    assert(towns.length >= 31 || expected.scoped, `only ${towns.length} townships for a county-wide user`)
    let sum = 0
    for (let i = 0; i < n; i++) {
      const code = await page.locator(`[data-testid="pivot-member-${i}-0"]`).getAttribute('data-code')
      const j = expected.rows.findIndex((r) => r.keys[0].code === code)
      const v = await raw(page, `pivot-cell-${i}-0-0`)
      assert(j >= 0 && v === expected.cells[j][0][0], `${code}: ${v} ≠ API ${expected.cells[j]?.[0]?.[0]}`)
      sum += v
    }
    assert(sum === county, `townships add up to ${sum}, county total is ${county}`)
    const grand = await raw(page, 'pivot-total-0-0')
    assert(grand === county, `total row ${grand} ≠ county ${county}`)
    await shot(page, '02-townships')
  })

  await check('drill a township by 时间 · 年, then back up with the breadcrumb', async () => {
    const first = await page.locator('[data-testid="pivot-member-0-0"]').getAttribute('data-code')
    const label = (await page.locator('[data-testid="pivot-member-0-0"]').innerText()).trim()
    await page.locator(`[data-testid="pivot-drill-${first}"]`).click()
    await page.getByRole('menuitem', { name: '时间 · 年' }).click()
    await waitRows(page, (codes) => codes.length >= 1 && codes.every((c) => /^\d{4}$/.test(c)), 'years')
    assert((await page.locator('[data-testid="pivot-crumb-2"]').innerText()).includes(label), `breadcrumb lacks ${label}`)
    const expected = await query(page, { ...BASE, rows: [{ dim: 'time', level: 'year' }], filters: [
      { dim: 'region', level: 'county', op: 'in', values: ['511724'] }, { dim: 'region', level: 'township', op: 'in', values: [first] }] })
    for (let i = 0; i < expected.rows.length; i++) {
      const v = await raw(page, `pivot-cell-${i}-0-0`)
      assert(v === expected.cells[i][0][0], `${expected.rows[i].keys[0].label}: ${v} ≠ API ${expected.cells[i][0][0]}`)
    }
    await shot(page, '03-drill-by-year')
    await page.locator('[data-testid="pivot-crumb-0"]').click()
    await waitRows(page, (codes) => codes.length === 1 && codes[0] === '511724', 'the county again')
    assert((await raw(page, 'pivot-cell-0-0-0')) === county, 'county total changed after drilling up')
  })

  await check('click-to-add 时间 into 列, sort by a measure, bar chart', async () => {
    await page.locator('[data-testid="pivot-drill-511724"]').click()
    await waitRows(page, (codes) => codes.length >= 2, 'townships')
    await page.locator('[data-testid="field-time"]').click()
    await page.locator('[data-testid="field-time-columns"]').click()
    await page.locator('[data-testid="zone-columns-time"]').waitFor()
    await page.locator('[data-testid="pivot-cell-0-1-0"]').waitFor()
    await page.locator('[data-testid="pivot-measure-amount"]').click()
    // Every row total is at least the next one (the default order is by code, which is not by amount).
    await page.waitForFunction(() => {
      const v = [...document.querySelectorAll('[data-testid^="pivot-rowtotal-"][data-testid$="-0"]')].map((e) => Number(e.getAttribute('data-raw')))
      return v.length > 2 && v.every((x, i) => i === 0 || v[i - 1] >= x)
    }, null, { timeout: TIMEOUT_MS })
    const url = new URL(page.url())
    assert(JSON.parse(url.searchParams.get('q')).sort?.measure === 'amount', 'the URL does not keep the sort')
    await shot(page, '04-sorted')
    await page.locator('[data-testid="pivot-chart-bar"]').click()
    await page.locator('[data-testid="an-chart-bar"] canvas').waitFor()
    await shot(page, '05-bar')
  })

  await check('filter 险种 · 制度 to 居保 in the filter editor; numbers follow; export to Excel', async () => {
    await page.locator('[data-testid="pivot-chart-table"]').click()
    await page.locator('[data-testid="pivot-table"]').waitFor()
    await page.locator('[data-testid="field-insurance-scheme"]').dragTo(page.locator('[data-testid="zone-filters"]'))
    await page.locator('[data-testid="zone-filters-insurance-scheme"]').click()
    await page.locator('[data-testid="filter-member-jubao"]').locator('xpath=ancestor-or-self::label').first().click()
    await page.locator('[data-testid="filter-apply"]').click()
    await page.waitForURL(/jubao/)
    const q = JSON.parse(new URL(page.url()).searchParams.get('q'))
    const expected = await query(page, { ...q, filters: q.filters.filter((f) => f.values.length), totals: true })
    assert(q.filters.some((f) => f.dim === 'insurance' && f.values.includes('jubao')), 'the URL lacks the 居保 filter')
    await page.waitForFunction((v) => Number(document.querySelector('[data-testid="pivot-rowtotal-0-0"]')?.getAttribute('data-raw')) === v,
      expected.rowTotals[0][0], { timeout: TIMEOUT_MS })
    assert((await page.locator('[data-testid="zone-filters-insurance-scheme"]').innerText()).length > 0, 'no filter chip')
    await shot(page, '05b-filtered')
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="pivot-export"]').click()])
    const file = join(shotDir, 'export.xlsx')
    await download.saveAs(file)
    const { readFileSync } = await import('node:fs')
    const head = readFileSync(file).subarray(0, 2).toString()
    assert(head === 'PK', `the export is not an XLSX (starts with ${JSON.stringify(head)})`)
    assert(/\.xlsx$/.test(download.suggestedFilename()), `download named ${download.suggestedFilename()}`)
  })

  const viewName = `e2e 各乡镇缴费 ${Date.now().toString(36)}`
  await check('save the view pinned to the workbench; it shows there', async () => {
    await page.locator('[data-testid="pivot-save"]').click()
    await page.locator('input[data-testid="save-name"], [data-testid="save-name"] input').first().fill(viewName)
    await page.locator('[data-testid="save-submit"]').click()
    await page.locator('[data-testid="pivot-current-view"]').filter({ hasText: viewName }).waitFor()
    await page.goto(`${baseUrl}/portal/workbench`)
    await page.locator('[data-testid="card-pinned"]').filter({ hasText: viewName }).waitFor()
    await shot(page, '06-workbench')
    const views = await api(page, 'GET', '/api/v1/analytics/views')
    const mine = views.body.items.find((v) => v.name === viewName)
    assert(mine && mine.pinned, 'the saved view is not listed as pinned')
    const del = await api(page, 'DELETE', `/api/v1/analytics/views/${mine.id}`)
    assert(del.status < 300, `delete answered ${del.status}`)
  })

  await check('领导视图 shows KPI cards and sections', async () => {
    await page.goto(`${baseUrl}/portal/analytics/leader`)
    await page.locator('[data-testid^="kpi-"]').first().waitFor()
    const view = await api(page, 'GET', '/api/v1/analytics/domains/leader')
    assert(view.status === 200 && view.body.sections.length >= 1, 'no leader view')
    for (const s of view.body.sections) await page.locator(`[data-testid="domain-section-${s.code}"]`).waitFor()
    await shot(page, '07-leader')
  })

  if (clerkName !== '-') {
    await check(`${clerkName} sees only her township, with 按数据权限统计`, async () => {
      const { page: p } = await session(clerkName)
      const q = { ...BASE, rows: [{ dim: 'region', level: 'township' }] }
      await p.goto(`${baseUrl}/portal/analytics/pivot?q=${encodeURIComponent(JSON.stringify(q))}`)
      await p.locator('[data-testid="pivot-scoped"]').waitFor()
      const expected = await query(p, q)
      assert(expected.scoped === true, 'the API does not say scoped')
      const n = await p.locator('[data-testid^="pivot-row-"]').count()
      assert(n === expected.rows.length && n <= 2, `${n} township rows for a township clerk`)
      assert((await raw(p, 'pivot-cell-0-0-0')) === expected.cells[0][0][0], 'clerk value differs from the API')
      await shot(p, '08-clerk-scoped')
    })
  }
} finally {
  await browser.close()
}
if (pageErrors.length) fail('no page errors', pageErrors.slice(0, 3).join('\n'))
finish()
