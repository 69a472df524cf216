#!/usr/bin/env node
// Screenshots of the portal's data center pages at 1440×900, for looking at
// them (not a test), against the real server with `hrss demo` data (or the
// mock of `npm run serve:dist`). Each page is taken as the demo user who
// would use it; test subjects (a person with contributions, employment and
// a case, a unit with a roster, a quarantined record) are found through the
// API at start, never hard-coded.
//   HRSS_BASE_URL                 default http://127.0.0.1:18181
//   HRSS_SCREENSHOT_DIR           default web/e2e/out/datacenter/
//   HRSS_SHOT_PASSWORD            the demo password (default Dazhu@2026)
//   HRSS_SHOT_USER                reader: search, 360°, quality, export queue, domain (default leader)
//   HRSS_SHOT_HEAD                社保 head: quarantine, conflicts, own exports, restricted 360° (default head_shebao)
//   HRSS_SHOT_ADMIN / HRSS_SHOT_ADMIN_TOTP_SECRET   collection jobs (立即执行); skipped without the secret
// A step that fails is reported and the next one runs.
//   node e2e/datacenter-screenshots.mjs [name-filter ...]
import { chromium } from 'playwright-core'
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { signIn } from './portal-session.mjs'

const baseUrl = (process.env.HRSS_BASE_URL || 'http://127.0.0.1:18181').replace(/\/+$/, '')
const outDir = resolve(process.env.HRSS_SCREENSHOT_DIR || fileURLToPath(new URL('./out/datacenter/', import.meta.url)))
const password = process.env.HRSS_SHOT_PASSWORD || 'Dazhu@2026'
const reader = process.env.HRSS_SHOT_USER || 'leader'
const head = process.env.HRSS_SHOT_HEAD || 'head_shebao'
const admin = process.env.HRSS_SHOT_ADMIN || 'admin'
const adminSecret = process.env.HRSS_SHOT_ADMIN_TOTP_SECRET || ''
const only = process.argv.slice(2)
mkdirSync(outDir, { recursive: true })

const browser = await chromium.launch({
  executablePath: process.env.HRSS_CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
})
const errors = []

async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  const page = await context.newPage()
  page.setDefaultTimeout(15_000)
  page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`))
  page.on('console', (m) => {
    // 401 (the login page asks who is signed in) and 404 (out-of-scope lookups) are expected; other console errors are not.
    if (m.type() === 'error' && !/status of (401|404)/.test(m.text())) errors.push(`${page.url()}: console: ${m.text()}`)
  })
  return { context, page }
}
const want = (name) => !only.length || only.some((o) => name.includes(o))
async function shot(page, name, fullPage = false) {
  if (!want(name)) return
  await page.waitForTimeout(700)
  const file = join(outDir, `${name}.png`)
  await page.screenshot({ path: file, fullPage })
  console.log(file)
}
const login = (page, username, totpSecret = '') => signIn(page, { baseUrl, username, password, totpSecret })
/** GET an API path with the page's session cookie. */
async function api(page, path) {
  return page.evaluate(async (p) => {
    const r = await fetch(p, { credentials: 'same-origin' })
    return r.ok ? r.json() : null
  }, path)
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
const rows = (page, testid) => page.locator(`[data-testid="${testid}"] .el-table__body .el-table__row`)
const DC = '/api/v1/datacenter'

/** A person whose 360° has contributions, employment and (if any) a case: from the 就业 rows. */
async function pickPerson(page) {
  const res = await api(page, `${DC}/domain/jiuye?size=100`)
  let best = null
  let bestScore = -1
  const seen = new Set()
  for (const r of res?.items ?? []) {
    if (seen.has(r.personId) || seen.size >= 40) continue
    seen.add(r.personId)
    const v = await api(page, `${DC}/persons/${r.personId}`)
    if (!v) continue
    const score = (v.contributions?.summary?.length ? 4 : 0) + (v.cases?.length ? 4 : 0) + (v.employment?.length ? 1 : 0) +
      (v.benefits?.payments?.recent?.length ? 2 : 0) + (v.person.sources?.length ?? 0)
    if (score > bestScore) [best, bestScore] = [v, score]
  }
  if (!best) throw new Error('no person with 就业 rows found')
  return best
}
/** The unit with the most persons on its roster among the first units of the county. */
async function pickUnit(page) {
  const res = await api(page, `${DC}/search?q=${encodeURIComponent('大竹县')}&size=50`)
  let best = null
  for (const u of res?.units ?? []) {
    const v = await api(page, `${DC}/units/${u.id}`)
    const score = (v?.roster?.total ?? 0) + (v?.cases?.length ?? 0) * 5 + (v?.arrears?.items?.length ?? 0) * 5
    if (v && (!best || score > best.score)) best = { id: u.id, score }
  }
  if (!best) throw new Error('no unit found')
  return best.id
}

try {
  const { context, page } = await newPage()
  await login(page, reader)
  let person = null

  await step('01-search', async () => {
    person = await pickPerson(page)
    await page.goto(`${baseUrl}/portal/datacenter/search`)
    await page.locator('input[name="dc-search-q"]').fill(`${person.person.name} ${person.person.birthDate}`)
    await page.locator('[data-testid="dc-search-submit"]').click()
    await rows(page, 'dc-search-persons').first().waitFor()
    await shot(page, '01-search-person')
    await page.goto(`${baseUrl}/portal/datacenter/search?q=${encodeURIComponent('大竹县')}`)
    await rows(page, 'dc-search-units').first().waitFor()
    await shot(page, '01-search-units')
  })

  await step('02-person', async () => {
    person ??= await pickPerson(page)
    await page.goto(`${baseUrl}/portal/datacenter/person/${person.person.id}`)
    await page.locator('[data-testid="dc-contrib-summary"] .el-table__row').first().waitFor()
    await page.locator('[data-testid="dc-chart"] canvas').first().waitFor()
    await shot(page, '02-person-360')
    for (const tab of ['enrolments', 'benefits', 'employment', 'cases', 'sources']) {
      await page.locator(`[data-testid="tab-${tab}"]`).click()
      await shot(page, `03-person-tab-${tab}`)
    }
  })

  await step('04-unit', async () => {
    const unitId = await pickUnit(page)
    await page.goto(`${baseUrl}/portal/datacenter/unit/${unitId}`)
    await rows(page, 'dc-unit-roster').first().waitFor()
    await page.locator('[data-testid="dc-chart"] canvas').first().waitFor()
    await shot(page, '04-unit-360')
    await shot(page, '04-unit-360-full', true)
  })

  await step('09-quality', async () => {
    await page.goto(`${baseUrl}/portal/datacenter/quality`)
    await page.locator('[data-testid="dc-quality-rules"] .el-table__row').first().waitFor()
    await page.locator('[data-testid="dc-chart"] canvas').first().waitFor()
    await shot(page, '09-quality')
  })

  await step('12-domain', async () => {
    await page.goto(`${baseUrl}/portal/datacenter/domain?domain=shebao`)
    await rows(page, 'dc-domain-table').first().waitFor()
    await shot(page, '12-domain-shebao')
    await page.locator('[data-testid="dc-domain-entity"]').click()
    await page.locator('.el-select-dropdown__item', { hasText: '缴费记录' }).click()
    await rows(page, 'dc-domain-table').first().waitFor()
    await shot(page, '12-domain-shebao-contribution')
    await page.goto(`${baseUrl}/portal/datacenter/domain?domain=jiancha`)
    await rows(page, 'dc-domain-table').first().waitFor()
    await shot(page, '12-domain-jiancha')
  })

  // ---- the 社保 head: quarantine, conflicts, an export request; sections outside the scope read 无权查看 ----
  const { context: c2, page: p2 } = await newPage()
  await login(p2, head)
  await step('07-quarantine', async () => {
    await p2.goto(`${baseUrl}/portal/datacenter/quarantine`)
    await rows(p2, 'dc-quarantine-table').first().waitFor()
    await shot(p2, '07-quarantine')
    await rows(p2, 'dc-quarantine-table').first().locator('button', { hasText: '查看' }).click()
    await p2.locator('[data-testid="dc-quarantine-record"]').waitFor()
    await shot(p2, '08-quarantine-record')
    await p2.keyboard.press('Escape')
    await p2.waitForTimeout(300)
    await rows(p2, 'dc-quarantine-table').first().locator('button', { hasText: '修正' }).click()
    await p2.locator('[data-testid="dc-fix-form"]').waitFor()
    await shot(p2, '08-quarantine-fix')
    await p2.keyboard.press('Escape')
  })
  await step('10-conflicts', async () => {
    await p2.goto(`${baseUrl}/portal/datacenter/conflicts`)
    await rows(p2, 'dc-conflicts-table').first().waitFor()
    await shot(p2, '10-conflicts')
    await rows(p2, 'dc-conflicts-table').first().locator('button', { hasText: '处理' }).click()
    await p2.locator('[data-testid="dc-resolve-submit"]').waitFor()
    await shot(p2, '10-conflicts-resolve')
    await p2.keyboard.press('Escape')
  })
  await step('11-exports', async () => {
    // An export request of the head's, so that both the head's list and the leader's queue have one.
    await p2.goto(`${baseUrl}/portal/datacenter/domain?domain=shebao`)
    await rows(p2, 'dc-domain-table').first().waitFor()
    await p2.locator('[data-testid="dc-domain-division"]').click()
    await p2.locator('.el-select-dropdown__item', { hasText: '竹阳街道' }).click()
    await p2.locator('[data-testid="dc-domain-export"]').click()
    await p2.locator('textarea[name="dc-export-reason"]').fill('核对竹阳街道 2026 年参保职工名单')
    await shot(p2, '12-domain-export-request')
    await p2.locator('[data-testid="dc-export-submit"]').click()
    await p2.waitForTimeout(800)
    await p2.goto(`${baseUrl}/portal/datacenter/exports`)
    await rows(p2, 'dc-exports-table').first().waitFor()
    await shot(p2, '11-exports-mine')
    await page.goto(`${baseUrl}/portal/datacenter/exports`)
    await rows(page, 'dc-exports-table').first().waitFor()
    await shot(page, '11-exports-queue')
  })
  await step('13-restricted', async () => {
    person ??= await pickPerson(page)
    await p2.goto(`${baseUrl}/portal/datacenter/person/${person.person.id}`)
    await p2.locator('[data-testid="dc-contrib-summary"] .el-table__row').first().waitFor()
    await p2.locator('[data-testid="tab-cases"]').click()
    await shot(p2, '13-person-restricted')
    await p2.locator('[data-testid="unmask-idNumber"]').click()
    await p2.locator('input[name="unmask-reason"]').fill('待遇资格核查')
    await shot(p2, '14-unmask-reason')
  })
  await c2.close()
  await context.close()

  // ---- the administrator runs a collection job ----
  await step('05-jobs', async () => {
    if (!adminSecret) throw new Error('HRSS_SHOT_ADMIN_TOTP_SECRET is not set')
    const { context: c3, page: p3 } = await newPage()
    await login(p3, admin, adminSecret)
    await p3.goto(`${baseUrl}/portal/datacenter/jobs`)
    await rows(p3, 'dc-jobs-table').first().waitFor()
    await shot(p3, '05-jobs')
    const jobs = await api(p3, `${DC}/jobs`)
    const job = (jobs?.items ?? []).find((j) => j.system === 'jubao') ?? jobs?.items?.[0]
    await p3.locator(`[data-testid="dc-run-${job.code}"]`).click()
    await p3.locator('.el-message-box__btns .el-button--primary').click()
    await p3.waitForTimeout(2500)
    await shot(p3, '05-jobs-running')
    // The drawer of the latest batch that read the most rows (a re-run of unchanged sources reads none).
    const now = await api(p3, `${DC}/jobs`)
    const biggest = [...(now?.items ?? [])].filter((j) => j.lastBatch).sort((a, b) => b.lastBatch.rowsRead - a.lastBatch.rowsRead)[0]
    await rows(p3, 'dc-jobs-table').filter({ has: p3.locator(`[data-testid="dc-run-${biggest.code}"]`) }).locator('.dc-job__batch').click()
    await p3.locator('[data-testid="dc-batch-quality"] .el-table__row').first().waitFor()
    await shot(p3, '06-batch-drawer')
    await c3.close()
  })
} finally {
  await browser.close()
}
console.log(errors.length ? `\n${errors.length} problem(s):\n${errors.join('\n')}` : '\nno page errors')
process.exit(errors.length ? 1 : 0)
