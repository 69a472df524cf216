#!/usr/bin/env node
// Screenshots of the command-center big screen (/screen/) for looking at them
// and for docs/screenshots/screen/: single-screen mode at 1920×1080 and
// 3840×2160, the multi-screen displays left / center / right at 1920×1080,
// and an enlarged video. Against the mock (npm run build; node
// scripts/serve-dist.mjs --mock-api --media-dir DIR with streams made by
// scripts/make-test-stream.sh) or the real server.
//   HRSS_BASE_URL        default http://127.0.0.1:4180
//   HRSS_SCREENSHOT_DIR  default docs/screenshots/screen/
//   HRSS_SHOT_USER / HRSS_SHOT_PASSWORD   default demo / demo (the mock's superuser)
//   node e2e/screen-screenshots.mjs [name-filter ...]
import { chromium } from 'playwright-core'
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const baseUrl = (process.env.HRSS_BASE_URL || 'http://127.0.0.1:4180').replace(/\/+$/, '')
const outDir = resolve(process.env.HRSS_SCREENSHOT_DIR || fileURLToPath(new URL('../../docs/screenshots/screen/', import.meta.url)))
const user = process.env.HRSS_SHOT_USER || 'demo'
const password = process.env.HRSS_SHOT_PASSWORD || 'demo'
const only = process.argv.slice(2)
const want = (name) => !only.length || only.some((o) => name.includes(o))
mkdirSync(outDir, { recursive: true })

const browser = await chromium.launch({
  executablePath: process.env.HRSS_CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--autoplay-policy=no-user-gesture-required',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
})
const errors = []

async function login(context) {
  const page = await context.newPage()
  await page.goto(`${baseUrl}/portal/login`)
  await page.locator('input[name="username"]').fill(user)
  await page.locator('input[name="password"]').fill(password)
  await page.locator('[data-testid="login-submit"]').click()
  await page.waitForURL(/\/portal\/workbench/)
  await page.close()
}

async function screen(width, height, query = '') {
  const context = await browser.newContext({ viewport: { width, height }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  await login(context)
  const page = await context.newPage()
  page.setDefaultTimeout(20_000)
  page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`))
  await page.goto(`${baseUrl}/screen/${query}`)
  await page.locator('[data-testid="carousel"]').waitFor()
  // Every chart drawn, the map filled, the hub connected, videos started.
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid^="chart-"]')].every((c) => c.getAttribute('data-rendered') === '1'))
  await page.locator('[data-testid="conn"].open').waitFor().catch(() => errors.push(`${query}: hub not connected`))
  await page.waitForFunction(() => [...document.querySelectorAll('video')].every((v) => v.currentTime > 0.5), null, { timeout: 15_000 }).catch(() => undefined)
  await page.waitForTimeout(1200)
  return { context, page }
}

// A 4K PNG of the screen is ~4 MB; above 1920 px wide the shot is a JPEG
// (quality 90) so the committed screenshots stay small.
async function shot(page, name) {
  const big = (page.viewportSize()?.width ?? 0) > 1920
  const file = join(outDir, `${name}.${big ? 'jpg' : 'png'}`)
  await page.screenshot(big ? { path: file, type: 'jpeg', quality: 90 } : { path: file })
  console.log(file)
}

const runs = [
  ['screen-1920x1080', 1920, 1080, ''],
  ['screen-3840x2160', 3840, 2160, ''],
  ['screen-left-1920x1080', 1920, 1080, '?screen=left'],
  ['screen-center-1920x1080', 1920, 1080, '?screen=center'],
  ['screen-right-1920x1080', 1920, 1080, '?screen=right'],
]
for (const [name, w, h, q] of runs) {
  if (!want(name)) continue
  try {
    const { context, page } = await screen(w, h, q)
    await shot(page, name)
    if (name === 'screen-1920x1080' && want('video')) {
      await page.locator('[data-testid="panel-video"] button').first().click()
      await page.locator('[data-testid="video-overlay"] video').waitFor()
      await page.waitForFunction(() => (document.querySelector('[data-testid="video-overlay"] video')?.currentTime ?? 0) > 1)
      await shot(page, 'screen-video-enlarged-1920x1080')
    }
    await context.close()
  } catch (e) {
    errors.push(`${name}: ${e.message}`)
  }
}
await browser.close()
if (errors.length) {
  console.error(errors.join('\n'))
  process.exit(1)
}
