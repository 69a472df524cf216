#!/usr/bin/env node
// End-to-end check of the staff portal served by a running hrss server.
//
//   HRSS_BASE_URL        server to test (default http://127.0.0.1:8080)
//   HRSS_SCREENSHOT_DIR  where screenshots go (default web/e2e/out/)
//   HRSS_CHROMIUM        browser binary (default /usr/bin/chromium)
//   HRSS_E2E_USERNAME, HRSS_E2E_PASSWORD
//                        optional: a demo account; when set the test also signs
//                        in and checks the workbench.
//
// Prints one line per check and ends with "N passed, M failed"; exits non-zero
// when any check failed.
import { chromium } from 'playwright-core'
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { assert, createHarness } from './harness.mjs'

const baseUrl = (process.env.HRSS_BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '')
const shotDir = resolve(process.env.HRSS_SCREENSHOT_DIR || fileURLToPath(new URL('./out/', import.meta.url)))
const executablePath = process.env.HRSS_CHROMIUM || '/usr/bin/chromium'
const username = process.env.HRSS_E2E_USERNAME
const password = process.env.HRSS_E2E_PASSWORD
const TIMEOUT_MS = 15_000
const CJK = /[\u4e00-\u9fff]/

const { check, fail, finish } = createHarness()

/** The login form with its Chinese labels. */
async function expectLoginForm(page) {
  await page.locator('[data-testid="login-card"]').waitFor({ state: 'visible', timeout: TIMEOUT_MS })
  for (const label of ['用户名', '密码']) {
    const el = page.locator('label.el-form-item__label', { hasText: new RegExp(`^${label}$`) })
    assert(await el.isVisible(), `label "${label}" is not visible`)
  }
  assert(await page.locator('input[name="username"]').isVisible(), 'username input is not visible')
  assert(await page.locator('input[name="password"]').isVisible(), 'password input is not visible')
  const submit = page.locator('[data-testid="login-submit"]')
  assert((await submit.innerText()).trim() === '登录', 'submit button does not read 登录')
}

async function main() {
  mkdirSync(shotDir, { recursive: true })
  let browser
  try {
    await check('launch chromium', async () => {
      // playwright-core gives each launch a fresh temporary profile.
      browser = await chromium.launch({
        executablePath,
        headless: true,
        timeout: 60_000,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      })
    })
    if (!browser) return

    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
    const page = await context.newPage()
    page.setDefaultTimeout(TIMEOUT_MS)
    const pageErrors = []
    const badAssets = []
    page.on('pageerror', (err) => pageErrors.push(err.message))
    page.on('requestfailed', (req) => {
      if (new URL(req.url()).pathname.startsWith('/assets/')) badAssets.push(`${req.url()} (${req.failure()?.errorText})`)
    })
    page.on('response', (res) => {
      if (new URL(res.url()).pathname.startsWith('/assets/') && res.status() >= 400) badAssets.push(`${res.url()} (${res.status()})`)
    })

    // Checks on the loaded page fail fast when the server did not answer at all.
    let reachable = false
    const needPage = () => assert(reachable, `no page from ${baseUrl}`)

    await check('GET /portal/login answers an HTML page', async () => {
      const res = await page.goto(`${baseUrl}/portal/login`, { waitUntil: 'domcontentloaded' })
      reachable = true
      assert(res, 'no response')
      assert(res.status() === 200, `status ${res.status()}`)
      assert((res.headers()['content-type'] || '').includes('text/html'), `content-type ${res.headers()['content-type']}`)
    })

    await check('login form is visible with Chinese labels', async () => {
      needPage()
      await expectLoginForm(page)
      const title = await page.title()
      assert(title.includes('大竹数字人社平台'), `page title is "${title}"`)
    })

    await check('scripts and styles load without errors', async () => {
      needPage()
      await page.waitForLoadState('networkidle', { timeout: TIMEOUT_MS }).catch(() => {})
      assert(badAssets.length === 0, `failed assets: ${badAssets.join(', ')}`)
      assert(pageErrors.length === 0, `page errors: ${pageErrors.join(' | ')}`)
      const fontFamily = await page.evaluate(() => getComputedStyle(document.body).fontFamily)
      assert(/Noto Sans CJK SC|Microsoft YaHei|PingFang SC/.test(fontFamily), `body font is ${fontFamily}`)
    })

    await check('screenshot of the login page', async () => {
      needPage()
      await page.screenshot({ path: join(shotDir, 'portal-login.png'), fullPage: true })
    })

    await check('required fields are checked in Chinese', async () => {
      needPage()
      await page.locator('[data-testid="login-submit"]').click()
      await page.locator('.el-form-item__error', { hasText: '请输入用户名' }).waitFor({ state: 'visible' })
      await page.locator('.el-form-item__error', { hasText: '请输入密码' }).waitFor({ state: 'visible' })
    })

    await check('a failed sign-in shows a Chinese message, never a blank page', async () => {
      needPage()
      await page.locator('input[name="username"]').fill('e2e-no-such-user')
      await page.locator('input[name="password"]').fill('e2e-wrong-password')
      await page.locator('[data-testid="login-submit"]').click()
      const alert = page.locator('[data-testid="login-error"]')
      await alert.waitFor({ state: 'visible' })
      const text = await alert.innerText()
      assert(CJK.test(text), `error message is not Chinese: "${text}"`)
      await expectLoginForm(page)
      await page.screenshot({ path: join(shotDir, 'portal-login-error.png'), fullPage: true })
    })

    await check('deep route /portal/some/deep/route falls back to the app', async () => {
      needPage()
      const res = await page.goto(`${baseUrl}/portal/some/deep/route`, { waitUntil: 'domcontentloaded' })
      assert(res, 'no response')
      assert(res.status() === 200, `status ${res.status()}`)
      assert((res.headers()['content-type'] || '').includes('text/html'), `content-type ${res.headers()['content-type']}`)
      // Signed out, the router sends the visitor to the login page and remembers the route.
      await expectLoginForm(page)
      const url = new URL(page.url())
      assert(url.pathname === '/portal/login', `ended at ${url.pathname}`)
      assert(url.searchParams.get('redirect') === '/some/deep/route', `redirect=${url.searchParams.get('redirect')}`)
      await page.screenshot({ path: join(shotDir, 'portal-deep-route.png'), fullPage: true })
    })

    if (username && password) {
      await check(`sign in as ${username} and see the workbench`, async () => {
        needPage()
        await page.goto(`${baseUrl}/portal/login`)
        await page.locator('input[name="username"]').fill(username)
        await page.locator('input[name="password"]').fill(password)
        await page.locator('[data-testid="login-submit"]').click()
        await page.waitForURL(/\/portal\/workbench/, { timeout: TIMEOUT_MS })
        await page.locator('[data-testid="header-user"]').waitFor({ state: 'visible' })
        await page.locator('[data-testid="platform-status-tag"]', { hasText: '运行正常' }).waitFor({ state: 'visible' })
        await page.screenshot({ path: join(shotDir, 'portal-workbench.png'), fullPage: true })
      })
    }

    await context.close()
  } finally {
    await browser?.close().catch(() => {})
  }
}

try {
  await main()
} catch (err) {
  fail('e2e run', err)
}
console.log(`screenshots: ${shotDir}`)
finish()
