#!/usr/bin/env node
// Screenshots of every web app, for looking at them (not a test).
//   HRSS_BASE_URL (default http://127.0.0.1:8080), HRSS_SCREENSHOT_DIR (default web/e2e/out/)
//   HRSS_E2E_USERNAME / HRSS_E2E_PASSWORD: when set, the portal workbench is captured too.
import { chromium } from 'playwright-core'
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const baseUrl = (process.env.HRSS_BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '')
const outDir = resolve(process.env.HRSS_SCREENSHOT_DIR || fileURLToPath(new URL('./out/', import.meta.url)))
mkdirSync(outDir, { recursive: true })

const shots = [
  { name: 'site', path: '/', viewport: { width: 1440, height: 900 }, fullPage: true },
  { name: 'portal-login', path: '/portal/login', viewport: { width: 1440, height: 900 } },
  { name: 'm-home', path: '/m/', viewport: { width: 390, height: 844 }, mobile: true },
  { name: 'm-me', path: '/m/me', viewport: { width: 390, height: 844 }, mobile: true },
  { name: 'kiosk-portrait', path: '/kiosk/', viewport: { width: 1080, height: 1920 } },
  { name: 'kiosk-landscape-menu', path: '/kiosk/', viewport: { width: 1920, height: 1080 }, click: '[data-testid="no-card"]' },
  { name: 'hall', path: '/hall/', viewport: { width: 1920, height: 1080 } },
  { name: 'screen', path: '/screen/', viewport: { width: 1920, height: 1080 }, wait: 1500 },
]

const browser = await chromium.launch({
  executablePath: process.env.HRSS_CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
})
try {
  for (const s of shots) {
    const context = await browser.newContext({ viewport: s.viewport, isMobile: !!s.mobile, hasTouch: !!s.mobile, locale: 'zh-CN' })
    const page = await context.newPage()
    page.on('pageerror', (e) => console.log(`  page error on ${s.path}: ${e.message}`))
    await page.goto(baseUrl + s.path, { waitUntil: 'networkidle' })
    if (s.click) await page.locator(s.click).click()
    await page.waitForTimeout(s.wait ?? 400)
    const file = join(outDir, `${s.name}.png`)
    await page.screenshot({ path: file, fullPage: !!s.fullPage })
    console.log(file)
    await context.close()
  }
  if (process.env.HRSS_E2E_USERNAME && process.env.HRSS_E2E_PASSWORD) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
    const page = await context.newPage()
    await page.goto(`${baseUrl}/portal/login`)
    await page.locator('input[name="username"]').fill(process.env.HRSS_E2E_USERNAME)
    await page.locator('input[name="password"]').fill(process.env.HRSS_E2E_PASSWORD)
    await page.locator('[data-testid="login-submit"]').click()
    await page.waitForURL(/workbench/)
    await page.waitForTimeout(800)
    await page.screenshot({ path: join(outDir, 'portal-workbench.png') })
    console.log(join(outDir, 'portal-workbench.png'))
    await context.close()
  }
} finally {
  await browser.close()
}
