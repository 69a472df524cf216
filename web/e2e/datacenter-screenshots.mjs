#!/usr/bin/env node
// Screenshots of the portal's data center pages at 1440×900, for looking at
// them (not a test). Meant for `npm run serve:dist` (mock API with
// scripts/mock-datacenter.mjs):
//   HRSS_BASE_URL (default http://127.0.0.1:4180), HRSS_SCREENSHOT_DIR (default web/e2e/out/datacenter/)
//   HRSS_SHOT_USER / HRSS_SHOT_PASSWORD (default demo / demo: every permission in the mock)
// A step that fails is reported and the next one runs.
//   node e2e/datacenter-screenshots.mjs [name-filter ...]
import { chromium } from 'playwright-core'
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const baseUrl = (process.env.HRSS_BASE_URL || 'http://127.0.0.1:4180').replace(/\/+$/, '')
const outDir = resolve(process.env.HRSS_SCREENSHOT_DIR || fileURLToPath(new URL('./out/datacenter/', import.meta.url)))
const user = process.env.HRSS_SHOT_USER || 'demo'
const password = process.env.HRSS_SHOT_PASSWORD || 'demo'
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
    if (m.type() === 'error') errors.push(`${page.url()}: console: ${m.text()}`)
  })
  return { context, page }
}
const want = (name) => !only.length || only.some((o) => name.includes(o))
async function shot(page, name, fullPage = false) {
  if (!want(name)) return
  await page.waitForTimeout(600)
  const file = join(outDir, `${name}.png`)
  await page.screenshot({ path: file, fullPage })
  console.log(file)
}
async function login(page, username, pw) {
  await page.goto(`${baseUrl}/portal/login`)
  await page.locator('input[name="username"]').fill(username)
  await page.locator('input[name="password"]').fill(pw)
  await page.locator('[data-testid="login-submit"]').click()
  await page.waitForURL(/\/portal\/workbench/)
  await page.locator('[data-testid="header-user"]').waitFor()
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

try {
  const { context, page } = await newPage()
  await login(page, user, password)

  await step('01-search', async () => {
    await page.goto(`${baseUrl}/portal/datacenter/search`)
    await page.locator('input[name="dc-search-q"]').fill('张三 1980-03-05')
    await page.locator('[data-testid="dc-search-submit"]').click()
    await rows(page, 'dc-search-persons').first().waitFor()
    await shot(page, '01-search-person')
    await page.goto(`${baseUrl}/portal/datacenter/search?q=${encodeURIComponent('大竹县')}`)
    await rows(page, 'dc-search-units').first().waitFor()
    await shot(page, '01-search-units')
  })

  await step('02-person', async () => {
    await page.goto(`${baseUrl}/portal/datacenter/person/100001`)
    await page.locator('[data-testid="dc-contrib-summary"] .el-table__row').first().waitFor()
    await page.locator('[data-testid="dc-chart"] canvas').first().waitFor()
    await shot(page, '02-person-360')
    await shot(page, '02-person-360-full', true)
    for (const tab of ['enrolments', 'benefits', 'employment', 'cases', 'sources', 'conflicts']) {
      await page.locator(`[data-testid="tab-${tab}"]`).click()
      await shot(page, `03-person-tab-${tab}`)
    }
  })

  await step('04-unit', async () => {
    await page.goto(`${baseUrl}/portal/datacenter/unit/3001`)
    await rows(page, 'dc-unit-roster').first().waitFor()
    await page.locator('[data-testid="dc-chart"] canvas').first().waitFor()
    await shot(page, '04-unit-360')
    await shot(page, '04-unit-360-full', true)
  })

  await step('05-jobs', async () => {
    await page.goto(`${baseUrl}/portal/datacenter/jobs`)
    await rows(page, 'dc-jobs-table').first().waitFor()
    await shot(page, '05-jobs')
    await page.locator('[data-testid="dc-run-shebao_db"]').click()
    await page.locator('.el-message-box__btns .el-button--primary').click()
    await page.locator('[data-testid="dc-job-progress"]').first().waitFor()
    await page.waitForTimeout(2500)
    await shot(page, '05-jobs-running')
    await rows(page, 'dc-batches-table').nth(1).click()
    await page.locator('[data-testid="dc-batch-quality"] .el-table__row').first().waitFor()
    await shot(page, '06-batch-drawer')
    await page.keyboard.press('Escape')
    await page.waitForTimeout(400)
  })

  await step('07-quarantine', async () => {
    await page.goto(`${baseUrl}/portal/datacenter/quarantine`)
    await rows(page, 'dc-quarantine-table').first().waitFor()
    await shot(page, '07-quarantine')
    await rows(page, 'dc-quarantine-table').first().locator('button', { hasText: '修正' }).click()
    await page.locator('[data-testid="dc-fix-form"]').waitFor()
    await page.locator('[data-testid="dc-fix-save"]').click()
    await shot(page, '08-quarantine-fix')
    await page.keyboard.press('Escape')
    await page.waitForTimeout(300)
    await rows(page, 'dc-quarantine-table').first().locator('button', { hasText: '查看' }).click()
    await page.locator('[data-testid="dc-quarantine-record"]').waitFor()
    await shot(page, '08-quarantine-record')
    await page.keyboard.press('Escape')
    await page.waitForTimeout(300)
    await rows(page, 'dc-quarantine-table').nth(0).locator('.el-checkbox').click()
    await rows(page, 'dc-quarantine-table').nth(1).locator('.el-checkbox').click()
    await page.locator('[data-testid="dc-reprocess"]').click()
    await page.locator('[data-testid="dc-still-failing"]').waitFor()
    await shot(page, '08-quarantine-still-failing')
    await page.keyboard.press('Escape')
  })

  await step('09-quality', async () => {
    await page.goto(`${baseUrl}/portal/datacenter/quality`)
    await page.locator('[data-testid="dc-quality-rules"] .el-table__row').first().waitFor()
    await page.locator('[data-testid="dc-chart"] canvas').first().waitFor()
    await shot(page, '09-quality')
    await shot(page, '09-quality-full', true)
  })

  await step('10-conflicts', async () => {
    await page.goto(`${baseUrl}/portal/datacenter/conflicts`)
    await rows(page, 'dc-conflicts-table').first().waitFor()
    await shot(page, '10-conflicts')
    await page.locator('[data-testid="dc-resolve-701"]').click()
    await page.locator('[data-testid="dc-resolve-submit"]').waitFor()
    await shot(page, '10-conflicts-resolve')
    await page.keyboard.press('Escape')
  })

  await step('11-exports', async () => {
    await page.goto(`${baseUrl}/portal/datacenter/exports`)
    await rows(page, 'dc-exports-table').first().waitFor()
    await shot(page, '11-exports-queue')
    await page.locator('[data-testid="dc-exports-mine"]').click()
    await shot(page, '11-exports-mine')
  })

  await step('12-domain', async () => {
    await page.goto(`${baseUrl}/portal/datacenter/domain?domain=shebao`)
    await rows(page, 'dc-domain-table').first().waitFor()
    await shot(page, '12-domain-shebao')
    await page.locator('[data-testid="dc-domain-export"]').click()
    await page.locator('[data-testid="dc-export-submit"]').waitFor()
    await shot(page, '12-domain-export-request')
    await page.keyboard.press('Escape')
    await page.goto(`${baseUrl}/portal/datacenter/domain?domain=jiancha`)
    await rows(page, 'dc-domain-table').first().waitFor()
    await shot(page, '12-domain-jiancha')
  })
  await context.close()

  // ---- a county-level 社保 head: sections outside the scope read 无权查看; 查看原文 asks for a reason ----
  await step('13-restricted', async () => {
    const { context: c2, page: p2 } = await newPage()
    await login(p2, 'head_shebao', 'demo')
    await p2.goto(`${baseUrl}/portal/datacenter/person/100001`)
    await p2.locator('[data-testid="dc-contrib-summary"] .el-table__row').first().waitFor()
    await p2.locator('[data-testid="tab-cases"]').click()
    await shot(p2, '13-person-restricted')
    await p2.locator('[data-testid="unmask-idNumber"]').click()
    await p2.locator('input[name="unmask-reason"]').fill('待遇资格核查')
    await shot(p2, '14-unmask-reason')
    await c2.close()
  })
} finally {
  await browser.close()
}
console.log(errors.length ? `\n${errors.length} problem(s):\n${errors.join('\n')}` : '\nno page errors')
process.exit(errors.length ? 1 : 0)
