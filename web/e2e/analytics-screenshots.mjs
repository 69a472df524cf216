#!/usr/bin/env node
// Screenshots of the 数据分析 pages at 1440×900, for looking at them (not a
// test): the pivot as a table (townships × years, 同比, a warning rule) and as
// charts, a domain view, 领导视图, 我的视图 and the workbench with pinned views.
// Against the mock of `npm run serve:dist` or the real server.
//   HRSS_BASE_URL          default http://127.0.0.1:4180
//   HRSS_SCREENSHOT_DIR    default web/e2e/out/analytics/
//   HRSS_SHOT_USER / HRSS_SHOT_PASSWORD   default leader / demo (the mock's password; the demo server's is Dazhu@2026)
//   node e2e/analytics-screenshots.mjs [name-filter ...]
import { chromium } from 'playwright-core'
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const baseUrl = (process.env.HRSS_BASE_URL || 'http://127.0.0.1:4180').replace(/\/+$/, '')
const outDir = resolve(process.env.HRSS_SCREENSHOT_DIR || fileURLToPath(new URL('./out/analytics/', import.meta.url)))
const user = process.env.HRSS_SHOT_USER || 'leader'
const password = process.env.HRSS_SHOT_PASSWORD || 'demo'
const only = process.argv.slice(2)
mkdirSync(outDir, { recursive: true })

const browser = await chromium.launch({
  executablePath: process.env.HRSS_CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
})
const errors = []
const want = (name) => !only.length || only.some((o) => name.includes(o))

const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
const page = await context.newPage()
page.setDefaultTimeout(20_000)
page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`))
page.on('console', (m) => {
  if (m.type() === 'error' && !/status of 401/.test(m.text())) errors.push(`${page.url()}: console: ${m.text()}`)
})

async function shot(name) {
  if (!want(name)) return
  await page.waitForFunction(() => ![...document.querySelectorAll('.el-loading-mask')].some((m) => m.offsetParent !== null), null, { timeout: 20_000 }).catch(() => {})
  await page.waitForTimeout(900)
  const file = join(outDir, `${name}.png`)
  await page.screenshot({ path: file })
  console.log(file)
}
async function step(name, fn) {
  if (!want(name)) return
  try {
    await fn()
  } catch (err) {
    errors.push(`${name}: ${String(err?.message ?? err).split('\n')[0]}`)
    console.log(`  step failed: ${name}`)
  }
}
const pivot = (q, chart) => `${baseUrl}/portal/analytics/pivot?q=${encodeURIComponent(JSON.stringify(q))}${chart ? `&chart=${chart}` : ''}`
const lastMonth = async () => {
  const res = await page.evaluate(async () => (await fetch('/api/v1/analytics/domains/leader', { credentials: 'same-origin' })).json())
  return res.asOf
}

try {
  await page.goto(`${baseUrl}/portal/login`)
  await page.locator('input[name="username"]').fill(user)
  await page.locator('input[name="password"]').fill(password)
  await page.locator('[data-testid="login-submit"]').click()
  await page.waitForURL(/\/portal\/workbench/)
  const asOf = await lastMonth()
  const year = Number(asOf.slice(0, 4))

  await step('01-pivot-table', async () => {
    await page.goto(pivot({
      cube: 'contribution', rows: [{ dim: 'region', level: 'township' }], columns: [{ dim: 'time', level: 'year' }], measures: ['amount', 'persons'],
      filters: [{ dim: 'region', level: 'county', op: 'in', values: ['511724'] }, { dim: 'time', level: 'year', op: 'between', values: [String(year - 1), String(year)] }],
      compare: { type: 'yoy' }, sort: { by: 'measure', measure: 'amount', dir: 'desc' },
      thresholds: [{ measure: 'persons', op: 'change_lt', value: -0.2, level: 'alarm', message: '缴费人数同比下降超过20%' }],
    }))
    await page.locator('[data-testid="pivot-table"]').waitFor()
    await shot('01-pivot-table')
  })
  await step('01b-pivot-warnings', async () => {
    const from = String(Number(asOf) - 2)
    await page.goto(pivot({
      cube: 'contribution', rows: [{ dim: 'region', level: 'township' }], columns: [{ dim: 'time', level: 'month' }], measures: ['persons'],
      filters: [{ dim: 'insurance', level: 'scheme', op: 'in', values: ['shebao'] }, { dim: 'time', level: 'month', op: 'between', values: [from, asOf] }],
      compare: { type: 'mom' }, sort: { by: 'measure', measure: 'persons', dir: 'desc' },
      thresholds: [{ measure: 'persons', op: 'change_lt', value: -0.1, level: 'alarm', message: '职工缴费人数环比下降超过10%' },
        { measure: 'persons', op: 'change_lt', value: -0.02, level: 'warn', message: '职工缴费人数环比下降超过2%' }],
    }))
    await page.locator('[data-testid="pivot-warnings"]').waitFor()
    await shot('01b-pivot-warnings')
  })
  await step('01c-thresholds-dialog', async () => {
    await page.locator('[data-testid="pivot-thresholds"]').click()
    await page.locator('[data-testid="threshold-table"]').waitFor()
    await shot('01c-thresholds-dialog')
    await page.keyboard.press('Escape')
  })
  await step('01d-filter-dialog', async () => {
    await page.locator('[data-testid="zone-filters-insurance-scheme"]').click()
    await page.locator('[data-testid="filter-members"] .el-checkbox').first().waitFor()
    await shot('01d-filter-dialog')
    await page.keyboard.press('Escape')
  })
  await step('02-pivot-bar', async () => {
    await page.goto(pivot({ cube: 'contribution', rows: [{ dim: 'time', level: 'month' }], columns: [{ dim: 'insurance', level: 'scheme' }], measures: ['amount'],
      filters: [{ dim: 'time', level: 'month', op: 'between', values: [String(year - 1) + asOf.slice(4), asOf] }] }, 'bar'))
    await page.locator('[data-testid="an-chart-bar"] canvas').waitFor()
    await shot('02-pivot-bar')
  })
  await step('03-pivot-heatmap', async () => {
    await page.goto(pivot({ cube: 'handling', rows: [{ dim: 'region', level: 'township' }], columns: [{ dim: 'item', level: 'category' }], measures: ['accepted'],
      filters: [{ dim: 'time', level: 'year', op: 'in', values: [String(year)] }] }, 'heatmap'))
    await page.locator('[data-testid="an-chart-heatmap"] canvas').waitFor()
    await shot('03-pivot-heatmap')
  })
  await step('04-pivot-pie', async () => {
    await page.goto(pivot({ cube: 'case', rows: [{ dim: 'case_type', level: 'case_type' }], columns: [], measures: ['cases'], filters: [{ dim: 'time', level: 'year', op: 'in', values: [String(year)] }] }, 'pie'))
    await page.locator('[data-testid="an-chart-pie"] canvas').waitFor()
    await shot('04-pivot-pie')
  })
  await step('05-pivot-line', async () => {
    await page.goto(pivot({ cube: 'payment', rows: [{ dim: 'time', level: 'month' }], columns: [{ dim: 'benefit', level: 'category' }], measures: ['amount'],
      filters: [{ dim: 'time', level: 'month', op: 'between', values: [`${year - 1}01`, asOf] }] }, 'line'))
    await page.locator('[data-testid="an-chart-line"] canvas').waitFor()
    await shot('05-pivot-line')
  })
  await step('06-domain-jubao', async () => {
    await page.goto(`${baseUrl}/portal/analytics/domain?code=jubao`)
    await page.locator('[data-testid="domain-section-enrolment"]').waitFor()
    await shot('06-domain-jubao')
  })
  await step('07-leader', async () => {
    await page.goto(`${baseUrl}/portal/analytics/leader`)
    await page.locator('[data-testid="domain-section-enrolment"]').waitFor()
    await shot('07-leader')
  })
  await step('08-views', async () => {
    await page.goto(`${baseUrl}/portal/analytics/views`)
    // A fresh server has no saved view yet: save and pin one, as a user would.
    await page.evaluate(async () => {
      const csrf = decodeURIComponent(document.cookie.match(/(?:^|; )hrss_csrf=([^;]+)/)?.[1] ?? '')
      const h = { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf }
      const list = await (await fetch('/api/v1/analytics/views', { headers: h })).json()
      if ((list.items ?? []).length) return
      const q = { cube: 'contribution', rows: [{ dim: 'region', level: 'township' }], measures: ['amount'], sort: { by: 'measure', measure: 'amount', dir: 'desc' }, limit: 10 }
      const v = await (await fetch('/api/v1/analytics/views', { method: 'POST', headers: h, body: JSON.stringify({ name: '乡镇缴费金额前十', query: q, chart: 'bar', shared: true }) })).json()
      await fetch(`/api/v1/analytics/views/${v.id}/pin`, { method: 'POST', headers: h, body: JSON.stringify({ pinned: true }) })
    })
    await page.reload()
    await page.locator('[data-testid="views-table"] .el-table__row').first().waitFor()
    await shot('08-views')
  })
  await step('09-workbench', async () => {
    await page.goto(`${baseUrl}/portal/workbench`)
    await page.locator('[data-testid="card-pinned"] [data-testid^="pinned-"]').first().waitFor()
    await shot('09-workbench')
  })
} finally {
  await browser.close()
}
if (errors.length) {
  console.log(`errors:\n  ${errors.join('\n  ')}`)
  process.exit(1)
}
