#!/usr/bin/env node
// End-to-end test of the portal's data center pages against a running hrss
// server with `hrss demo` data (collected through the real collectors):
//   1. clerk_zhuyang (竹阳街道) searches a 竹阳 resident by an ID number typed
//      with dirt (spaces, lower-case x), opens the 360° view and sees the
//      contributions; the same clerk finds no 白塔 resident (and the 360° API
//      answers 404);
//   2. leader finds a unit by name and opens its 360° view with the roster;
//   3. head_shebao opens 问题数据 and sees quarantined records with Chinese
//      reasons (the detail quoted in full: 「…」);
//   4. admin signs in with TOTP, runs a collection job with 立即执行 and sees
//      the batch reach 成功; the hub topic `datacenter.batch` delivered the
//      batch's progress to the signed-in page and refuses anonymous clients.
// Test subjects are picked from the demo database at start (sqlite3), never
// hard-coded.
//
//   HRSS_BASE_URL                 server to test (default http://127.0.0.1:8080)
//   HRSS_E2E_DB                   the server's SQLite database (…/hrss.db), for picking subjects
//   HRSS_E2E_PASSWORD             the demo password (default Dazhu@2026)
//   HRSS_E2E_ADMIN_TOTP_SECRET    admin's TOTP secret, base32 (printed by `hrss demo`)
//   HRSS_SCREENSHOT_DIR           where screenshots go (default web/e2e/out/)
//   HRSS_CHROMIUM                 browser binary (default /usr/bin/chromium)
//
// Without HRSS_E2E_DB the test is skipped (exit 0); without the TOTP secret
// the administrator's check fails. Prints one line per check and ends with
// "N passed, M failed"; exits non-zero when any check failed.
import { chromium } from 'playwright-core'
import { execFileSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { assert, createHarness } from './harness.mjs'
import { portalSession } from './portal-session.mjs'

const baseUrl = (process.env.HRSS_BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '')
const shotDir = resolve(process.env.HRSS_SCREENSHOT_DIR || fileURLToPath(new URL('./out/', import.meta.url)))
const executablePath = process.env.HRSS_CHROMIUM || '/usr/bin/chromium'
const db = process.env.HRSS_E2E_DB
const password = process.env.HRSS_E2E_PASSWORD || 'Dazhu@2026'
const adminSecret = process.env.HRSS_E2E_ADMIN_TOTP_SECRET || ''
const TIMEOUT_MS = 15_000
const ZHUYANG = '511724001'
const BAITA = '511724003'

if (!db) {
  console.log('skip - data center e2e: set HRSS_E2E_DB to the demo server\'s hrss.db (subjects are picked from it)')
  console.log('0 passed, 0 failed, 1 skipped')
  process.exit(0)
}

const { check, fail, finish } = createHarness()

/** One row of a query on the demo database, as an object of the selected columns. */
function sqlRow(sql) {
  const out = execFileSync('sqlite3', ['-json', '-readonly', db, sql], { encoding: 'utf8' }).trim()
  const rows = out ? JSON.parse(out) : []
  return rows[0] ?? null
}

// Persons the clerk may see: a live source record in one of her domains (居保, 社保, 就业) in her township.
const visibleIn = (division) => `p.division_code = '${division}' AND EXISTS (SELECT 1 FROM dc_person_source s
  WHERE s.person_id = p.id AND s.deleted = 0 AND s.src_system IN ('jubao', 'shebao', 'jiuye'))`
const withPaidContributions = `EXISTS (SELECT 1 FROM dc_contribution c WHERE c.person_id = p.id AND c.deleted = 0
  AND c.status = 'paid' AND c.domain IN ('jubao', 'shebao'))`

/** An ID number as a clerk might type it: spaces between the parts, a lower-case x, blanks around. */
const dirty = (id) => ` ${id.slice(0, 6)} ${id.slice(6, 14)} ${id.slice(14)} `.toLowerCase()

const stamp = Date.now().toString(36)

async function main() {
  mkdirSync(shotDir, { recursive: true })
  let zhuyang, baita, unit
  await check('pick the test subjects from the demo database', async () => {
    // Prefer an ID number ending in X, so that the lower-case x is part of the dirt.
    zhuyang = sqlRow(`SELECT p.id, p.id_number AS idNumber, p.name FROM dc_person p WHERE ${visibleIn(ZHUYANG)} AND ${withPaidContributions}
      ORDER BY (substr(p.id_number, 18, 1) = 'X') DESC, p.id LIMIT 1`)
    baita = sqlRow(`SELECT p.id, p.id_number AS idNumber, p.name FROM dc_person p WHERE ${visibleIn(BAITA)} AND ${withPaidContributions}
      ORDER BY p.id LIMIT 1`)
    unit = sqlRow(`SELECT u.id, u.name, COUNT(DISTINCT e.person_id) AS n FROM dc_unit u JOIN dc_enrolment e
      ON e.unit_no IN (u.unit_no, u.credit_code) AND e.deleted = 0 AND e.status = '1' GROUP BY u.id, u.name ORDER BY n DESC, u.id LIMIT 1`)
    assert(zhuyang && baita && unit, `subjects missing: 竹阳 ${!!zhuyang}, 白塔 ${!!baita}, unit ${!!unit}`)
  })
  if (!zhuyang || !baita || !unit) return

  let browser
  await check('launch chromium', async () => {
    browser = await chromium.launch({
      executablePath,
      headless: true,
      timeout: 60_000,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    })
  })
  if (!browser) return
  const pageErrors = []

  const session = (username, totpSecret = '') =>
    portalSession(browser, { baseUrl, username, password, timeoutMs: TIMEOUT_MS, pageErrors, totpSecret })
  const rows = (page, testid) => page.locator(`[data-testid="${testid}"] .el-table__body .el-table__row`)
  const status = (page, path) => page.evaluate(async (p) => (await fetch(p, { credentials: 'same-origin' })).status, path)
  const search = async (page, text) => {
    await page.goto(`${baseUrl}/portal/datacenter/search`)
    await page.locator('input[name="dc-search-q"]').fill(text)
    await page.locator('[data-testid="dc-search-submit"]').click()
    await page.waitForURL(/\/datacenter\/search\?q=/)
    await page.locator('[data-testid="dc-search-page"] .el-tabs').waitFor()
    await page.waitForLoadState('networkidle')
  }

  // ---- 1. the 竹阳 clerk ----
  try {
    const { context, page } = await session('clerk_zhuyang')
    await check(`clerk_zhuyang finds the 竹阳 resident by "${dirty(zhuyang.idNumber)}"`, async () => {
      await search(page, dirty(zhuyang.idNumber))
      const hits = rows(page, 'dc-search-persons')
      await hits.first().waitFor()
      assert((await hits.count()) === 1, `${await hits.count()} persons listed`)
      const text = await hits.first().innerText()
      assert(text.includes(zhuyang.name), `the row does not name ${zhuyang.name}: ${text}`)
      assert(text.includes('竹阳街道'), `the row does not name the township: ${text}`)
      assert(!text.includes(zhuyang.idNumber.slice(6, 14)), 'the ID number is not masked in the list')
    })
    await check('the 360° view opens with the contributions (险种 in Chinese, amounts in yuan)', async () => {
      await rows(page, 'dc-search-persons').first().click()
      await page.waitForURL(new RegExp(`/datacenter/person/${zhuyang.id}$`))
      const summary = rows(page, 'dc-contrib-summary')
      await summary.first().waitFor()
      const text = await summary.first().innerText()
      assert(/保险/.test(text), `no insurance name in the row: ${text}`)
      assert(/¥[\d,]+\.\d\d/.test(text), `no yuan amount in the row: ${text}`)
      assert(!/\b(110|120|170|210|310|410|510)\b/.test(text), `a raw insurance code is shown: ${text}`)
      await page.locator('[data-testid="dc-contrib-months"] .el-table__row').first().waitFor()
      await page.locator('[data-testid="dc-chart"] canvas').first().waitFor()
      assert((await page.locator('[data-testid="masked-idNumber"]').innerText()).includes('*'), 'the ID number is not masked')
      await page.screenshot({ path: join(shotDir, `dc-e2e-person-${stamp}.png`) })
    })
    await check('the same clerk finds no 白塔 resident, and the 360° API answers 404', async () => {
      await search(page, baita.idNumber)
      await page.locator('[data-testid="dc-search-persons"] .el-table__empty-text', { hasText: '未找到匹配的人员' }).waitFor()
      assert((await rows(page, 'dc-search-persons').count()) === 0, 'a person is listed')
      const code = await status(page, `/api/v1/datacenter/persons/${baita.id}`)
      assert(code === 404, `GET /persons/${baita.id} answered ${code}`)
    })
    await context.close()
  } catch (err) {
    await check('clerk_zhuyang session', async () => { throw err })
  }

  // ---- 2. the leader opens a unit ----
  try {
    const { context, page } = await session('leader')
    await check(`leader finds "${unit.name}" by name and opens its 360° view`, async () => {
      await search(page, unit.name)
      const hits = rows(page, 'dc-search-units')
      await hits.first().waitFor()
      await hits.filter({ hasText: unit.name }).first().click()
      await page.waitForURL(new RegExp(`/datacenter/unit/${unit.id}$`))
      await page.locator('.dc-unit__name', { hasText: unit.name }).waitFor()
      const roster = rows(page, 'dc-unit-roster')
      await roster.first().waitFor()
      const header = await page.locator('[data-testid="dc-unit-page"]').innerText()
      assert(header.includes(`${unit.n} 人`), `the roster count ${unit.n} 人 is not shown`)
      const first = await roster.first().innerText()
      assert(/\*/.test(first), `roster ID numbers are not masked: ${first}`)
      assert(/保险/.test(first), `roster insurance types are not named: ${first}`)
      await page.screenshot({ path: join(shotDir, `dc-e2e-unit-${stamp}.png`) })
    })
    await context.close()
  } catch (err) {
    await check('leader session', async () => { throw err })
  }

  // ---- 3. the 社保 head: 问题数据 ----
  try {
    const { context, page } = await session('head_shebao')
    await check('head_shebao sees quarantined records with Chinese reasons', async () => {
      await page.goto(`${baseUrl}/portal/datacenter/quarantine`)
      const list = rows(page, 'dc-quarantine-table')
      await list.first().waitFor()
      const n = await list.count()
      assert(n > 0, 'no quarantined records listed')
      let quoted = 0
      for (let i = 0; i < n; i++) {
        const text = await list.nth(i).innerText()
        assert(!/\b[A-Z]{2,}_[A-Z_]+\b/.test(text), `a raw reason code is shown: ${text}`)
        const tag = (await list.nth(i).locator('.el-tag--danger').first().innerText()).trim()
        assert(/^[\u4e00-\u9fa5（）]+$/.test(tag), `the reason "${tag}" is not Chinese`)
        if (/「[^「」]+」/.test(text)) quoted++
      }
      assert(quoted > 0, 'no reason quotes its value in full (「…」)')
      await page.screenshot({ path: join(shotDir, `dc-e2e-quarantine-${stamp}.png`) })
    })
    await context.close()
  } catch (err) {
    await check('head_shebao session', async () => { throw err })
  }

  // ---- 4. the administrator runs a job ----
  await check('admin (TOTP) runs a job with 立即执行 and the batch reaches 成功, pushed on the hub', async () => {
    assert(adminSecret, 'HRSS_E2E_ADMIN_TOTP_SECRET is not set')
    const { context, page } = await session('admin', adminSecret)
    try {
      await page.goto(`${baseUrl}/portal/datacenter/jobs`)
      await rows(page, 'dc-jobs-table').first().waitFor()
      const jobs = await page.evaluate(async () => (await (await fetch('/api/v1/datacenter/jobs')).json()).items)
      const job = jobs.find((j) => j.system === 'jiancha' && j.enabled) ?? jobs.find((j) => j.enabled)
      assert(job, 'no enabled job')
      // Listen on the hub as the signed-in page (the session cookie authenticates the socket).
      await page.evaluate(() => new Promise((ok, fail) => {
        const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/ws`)
        window.__dcHub = []
        ws.onmessage = (ev) => {
          const msg = JSON.parse(ev.data)
          window.__dcHub.push(msg)
          if (msg.op === 'subscribed') ok()
          if (msg.op === 'error') fail(new Error(msg.message))
        }
        ws.onopen = () => ws.send(JSON.stringify({ op: 'subscribe', topic: 'datacenter.batch' }))
        ws.onerror = () => fail(new Error('socket error'))
        setTimeout(() => fail(new Error('no subscription confirmation')), 5000)
      }))
      await page.locator(`[data-testid="dc-run-${job.code}"]`).click()
      await page.locator('.el-message-box__btns .el-button--primary').click()
      const started = await page.locator('.el-message--success', { hasText: '批次号' }).first().innerText()
      const batchId = Number(started.match(/批次号\s*(\d+)/)?.[1])
      assert(batchId > 0, `no batch number in "${started}"`)
      const row = rows(page, 'dc-jobs-table').filter({ has: page.locator(`[data-testid="dc-run-${job.code}"]`) })
      await row.locator('.el-tag', { hasText: '成功' }).waitFor({ timeout: 60_000 })
      assert((await row.innerText()).includes(`#${batchId}`), `the job row does not show batch #${batchId}`)
      const pushed = await page.evaluate((id) => window.__dcHub.filter((m) => m.topic === 'datacenter.batch' && m.data?.batchId === id), batchId)
      assert(pushed.some((m) => m.data.status === 'succeeded'), `the hub did not push batch ${batchId} as succeeded (${pushed.length} messages)`)
      await page.screenshot({ path: join(shotDir, `dc-e2e-jobs-${stamp}.png`) })
    } finally {
      await context.close()
    }
  })

  await check('the hub refuses the datacenter.batch topic to an anonymous client', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(`${baseUrl}/portal/login`)
    const reply = await page.evaluate(() => new Promise((ok) => {
      const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/ws`)
      ws.onopen = () => ws.send(JSON.stringify({ op: 'subscribe', topic: 'datacenter.batch' }))
      ws.onmessage = (ev) => ok(JSON.parse(ev.data))
      ws.onerror = () => ok({ op: 'socket-error' })
      setTimeout(() => ok({ op: 'timeout' }), 5000)
    }))
    await context.close()
    assert(reply.op === 'error', `anonymous subscription answered ${JSON.stringify(reply)}`)
  })

  await check('no script errors on the pages', async () => {
    assert(pageErrors.length === 0, `page errors: ${pageErrors.join(' | ')}`)
  })
  await browser.close().catch(() => {})
}

try {
  await main()
} catch (err) {
  fail('data center e2e run', err)
}
console.log(`screenshots: ${shotDir}`)
finish()
