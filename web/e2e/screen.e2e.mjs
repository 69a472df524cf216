#!/usr/bin/env node
// End-to-end test of the command-center big screen (/screen/) in Chromium.
//
// By default it is self-contained: it makes four local HLS streams with ffmpeg
// (scripts/make-test-stream.sh), starts scripts/serve-dist.mjs --mock-api over
// the built apps (npm run build) with those streams under /media/, and checks:
//   1. signed out, /screen/?screen=left sends the viewer to the portal login
//      and, after signing in, back to the same screen;
//   2. the single screen shows data: KPI tiles, every chart drawn, the 31
//      townships of the schematic map with values and alarms, warnings, data time,
//      the hub connected (实时连接);
//   3. the carousel advances at the configured interval (set to 5 s through
//      PUT /api/v1/screen/config), pauses on hover, and two windows
//      (?screen=left and ?screen=right) turn in step over the BroadcastChannel;
//   4. a published screen.update refetches the changed items (the KPI changes);
//      a dropped hub shows 连接中断 and the screen reconnects;
//   5. a video plays (currentTime advances), a click enlarges it in an overlay
//      that plays too, Esc closes it; a broken stream shows a Chinese error;
//   6. a user without screen:view gets the Chinese permission message.
// With HRSS_BASE_URL set it tests that server instead (checks 4 and 6 need
// the mock's controls and are skipped).
//
//   HRSS_BASE_URL        a running server (default: start the mock)
//   HRSS_E2E_DIST        built apps for the mock (default web/dist)
//   HRSS_E2E_USER / HRSS_E2E_PASSWORD   default demo / demo (the mock's superuser)
//   HRSS_SCREENSHOT_DIR  where failure screenshots go (default web/e2e/out/)
//   HRSS_CHROMIUM        browser binary (default /usr/bin/chromium)
// Prints one line per check and ends with "N passed, M failed"; exits non-zero when any failed.
import { chromium } from 'playwright-core'
import { execFileSync, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { assert, createHarness } from './harness.mjs'

const webDir = fileURLToPath(new URL('..', import.meta.url))
const shotDir = resolve(process.env.HRSS_SCREENSHOT_DIR || join(webDir, 'e2e/out'))
const executablePath = process.env.HRSS_CHROMIUM || '/usr/bin/chromium'
const user = process.env.HRSS_E2E_USER || 'demo'
const password = process.env.HRSS_E2E_PASSWORD || 'demo'
const TIMEOUT_MS = 20_000
mkdirSync(shotDir, { recursive: true })

let current = null
const { check, skip, finish } = createHarness({
  onFail: (n) => current?.screenshot({ path: join(shotDir, `screen-fail-${n}.png`) }),
})

// ---- the server ---------------------------------------------------------------------------------
let server = null
let mediaDir = null
let baseUrl = (process.env.HRSS_BASE_URL || '').replace(/\/+$/, '')
const mock = !baseUrl
async function freePort() {
  return new Promise((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => res(port))
    })
  })
}
if (mock) {
  mediaDir = mkdtempSync(join(tmpdir(), 'hrss-screen-media-'))
  const make = join(webDir, 'scripts/make-test-stream.sh')
  for (const [id, caption, hue] of [['hall', '大竹县政务服务中心 大厅', 0], ['window', '县政务服务中心 社保窗口', 90], ['zhuyang', '竹阳街道便民中心', 180], ['selfservice', '自助服务区', 270]]) {
    execFileSync(make, [join(mediaDir, id), caption, '10', String(hue)], { stdio: ['ignore', 'ignore', 'inherit'] })
  }
  const port = await freePort()
  const dist = resolve(process.env.HRSS_E2E_DIST || join(webDir, 'dist'))
  server = spawn(process.execPath, [join(webDir, 'scripts/serve-dist.mjs'), '--port', String(port), '--dist', dist, '--mock-api', '--media-dir', mediaDir], {
    env: { ...process.env, HRSS_MOCK_SCREEN_TICK_MS: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  await new Promise((res, rej) => {
    server.stdout.on('data', (d) => String(d).includes('serving') && res())
    server.on('exit', (code) => rej(new Error(`serve-dist exited ${code}`)))
  })
  baseUrl = `http://127.0.0.1:${port}`
}
function cleanup() {
  server?.kill('SIGTERM')
  if (mediaDir) rmSync(mediaDir, { recursive: true, force: true })
}

const browser = await chromium.launch({
  executablePath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--autoplay-policy=no-user-gesture-required',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
})
const pageErrors = []
async function newContext(width = 1920, height = 1080) {
  const context = await browser.newContext({ viewport: { width, height }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  context.setDefaultTimeout(TIMEOUT_MS)
  context.on('page', (p) => p.on('pageerror', (e) => pageErrors.push(`${p.url()}: ${e.message}`)))
  return context
}
async function signIn(page, username = user) {
  await page.locator('input[name="username"]').fill(username)
  await page.locator('input[name="password"]').fill(password)
  await page.locator('[data-testid="login-submit"]').click()
}
/** A same-origin API call with the page's cookies (and the CSRF header for writes). */
async function api(page, method, path, body) {
  return page.evaluate(async ([m, p, b]) => {
    const csrf = document.cookie.split(';').map((c) => c.trim().split('=')).find(([k]) => k === 'hrss_csrf')?.[1] ?? ''
    const r = await fetch(p, { method: m, credentials: 'same-origin', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': decodeURIComponent(csrf) }, body: b ? JSON.stringify(b) : undefined })
    return { status: r.status, body: await r.json().catch(() => null) }
  }, [method, path, body])
}
const ready = (page) => page.locator('[data-testid="carousel"]').waitFor()
const group = async (page) => Number(await page.locator('[data-testid="carousel"]').getAttribute('data-group'))
const stepOf = async (page) => Number(await page.locator('.stage').getAttribute('data-step'))

let savedConfig = null
try {
  const context = await newContext()
  const page = await context.newPage()
  current = page

  await check('signed out: /screen/?screen=left → portal login → back to the same screen', async () => {
    await page.goto(`${baseUrl}/screen/?screen=left`)
    await page.waitForURL(/\/portal\/login\?redirect=/)
    const u = new URL(page.url())
    assert(u.searchParams.get('redirect') === '/screen/?screen=left', `redirect=${u.searchParams.get('redirect')}`)
    await signIn(page)
    await page.waitForURL(/\/screen\/\?screen=left$/)
    await ready(page)
    assert((await page.locator('.stage').getAttribute('data-screen')) === 'left', 'not the left screen')
  })

  await check('single screen at 1920×1080: KPI tiles, charts, 31-township map, warnings, data time, live hub', async () => {
    // Carousel every 5 s for the rest of the test (restored at the end).
    const cfg = await api(page, 'GET', '/api/v1/screen/config')
    assert(cfg.status === 200, `config ${cfg.status}`)
    savedConfig = cfg.body
    const put = await api(page, 'PUT', '/api/v1/screen/config', { ...cfg.body, carousel: { enabled: true, intervalSec: 5 } })
    assert(put.status === 200, `PUT config ${put.status} ${JSON.stringify(put.body)}`)
    await page.goto(`${baseUrl}/screen/`)
    await ready(page)
    assert((await page.locator('h1').innerText()).includes('大竹县人社信息指挥中心'), 'title')
    assert((await page.locator('.stage').getAttribute('data-layout')) === '1080p', 'layout')
    const tiles = page.locator('[data-testid^="kpi-"] .kpi__value')
    await tiles.first().waitFor()
    assert((await tiles.count()) === 4, `${await tiles.count()} KPI tiles`)
    for (const txt of await tiles.allInnerTexts()) assert(/\d/.test(txt), `KPI without a number: ${txt}`)
    await page.waitForFunction(() => {
      const c = [...document.querySelectorAll('[data-testid^="chart-"]')]
      return c.length >= 5 && c.every((x) => x.getAttribute('data-rendered') === '1' && x.querySelector('canvas'))
    })
    const hexes = page.locator('[data-testid="panel-township_map"] g.hex')
    assert((await hexes.count()) === 31, `${await hexes.count()} townships`)
    assert(await page.locator('[data-testid="panel-township_map"] text', { hasText: '竹阳' }).count() > 0, '竹阳 missing')
    const values = await page.locator('.hex__value').allTextContents()
    assert(values.filter((v) => /\d/.test(v)).length === 31, 'township values')
    assert((await page.locator('g.hex[data-alarm="alarm"]').count()) >= 1, 'no alarm on the map')
    assert((await page.locator('[data-testid="warning"]').count()) >= 3, 'warnings')
    assert(/数据时间 \d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(await page.locator('[data-testid="as-of"]').innerText()), 'data time')
    await page.locator('[data-testid="conn"].open').waitFor()
    assert((await page.locator('[data-testid="conn"]').innerText()).includes('实时连接'), 'hub state text')
    // Crisp layout at 1080p: 1rem = 10 CSS px, the stage fills the window.
    const fs = await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)
    assert(fs === '10px', `root font size ${fs}`)
  })

  await check('carousel advances at the configured interval and pauses while hovered', async () => {
    const g0 = await group(page)
    const titles0 = await page.locator('.col--side [data-testid^="panel-"] .panel__title').allInnerTexts()
    await page.waitForFunction((g) => Number(document.querySelector('[data-testid="carousel"]').getAttribute('data-group')) !== g, g0, { timeout: 9_000 })
    await page.waitForTimeout(900) // transition
    const titles1 = await page.locator('.col--side [data-testid^="panel-"] .panel__title').allInnerTexts()
    assert(JSON.stringify(titles0) !== JSON.stringify(titles1), 'panels did not change')
    await page.locator('.stage').dispatchEvent('mouseenter')
    assert((await page.locator('.carousel-text').innerText()).includes('已暂停轮播'), 'pause text')
    const s = await stepOf(page)
    await page.waitForTimeout(6_500)
    assert((await stepOf(page)) === s, 'advanced while hovered')
    await page.locator('.stage').dispatchEvent('mouseleave')
    await page.waitForFunction((x) => Number(document.querySelector('.stage').getAttribute('data-step')) > x, s, { timeout: 9_000 })
  })

  await check('multi-screen: ?screen=left and ?screen=right show their panel sets and turn in step', async () => {
    const left = await context.newPage()
    const right = await context.newPage()
    await left.goto(`${baseUrl}/screen/?screen=left`)
    await right.goto(`${baseUrl}/screen/?screen=right`)
    await Promise.all([ready(left), ready(right)])
    assert((await left.locator('h1').innerText()).includes('左屏'), 'left label')
    assert((await right.locator('[data-testid="panel-video"]').count()) === 1, 'right screen has the video panel')
    assert((await left.locator('[data-testid="panel-video"]').count()) === 0, 'left screen has no video panel')
    const s0 = Math.max(await stepOf(left), await stepOf(right))
    await left.waitForFunction((x) => Number(document.querySelector('.stage').getAttribute('data-step')) > x, s0, { timeout: 9_000 })
    await right.waitForTimeout(300)
    const [a, b] = [await stepOf(left), await stepOf(right)]
    assert(a === b, `steps differ: left ${a}, right ${b}`)
    // Hovering the left window pauses the right one too.
    await left.locator('.stage').dispatchEvent('mouseenter')
    await right.waitForTimeout(300)
    const held = await stepOf(right)
    await right.waitForTimeout(6_000)
    assert((await stepOf(right)) === held, 'right advanced while left was hovered')
    await left.locator('.stage').dispatchEvent('mouseleave')
    const bad = await left.goto(`${baseUrl}/screen/?screen=north`).then(() => left.locator('[data-testid="fatal"]').innerText())
    assert(bad.includes('未找到分屏“north”'), `unknown screen: ${bad}`)
    await left.close()
    await right.close()
  })

  if (mock) {
    await check('screen.update refetches the changed items; a dropped hub shows 连接中断 and reconnects', async () => {
      const tile = page.locator('[data-testid="kpi-accepted"] .kpi__value')
      const before = await tile.innerText()
      const r = await page.evaluate(() => fetch('/__mock/screen/tick', { method: 'POST' }).then((x) => x.json()))
      assert(r.items.includes('kpi'), 'tick')
      await page.waitForFunction((b) => document.querySelector('[data-testid="kpi-accepted"] .kpi__value')?.textContent !== b, before, { timeout: 5_000 })
      await page.evaluate(() => fetch('/__mock/screen/drop-hub', { method: 'POST' }))
      await page.locator('[data-testid="conn"].down').waitFor({ timeout: 5_000 })
      assert((await page.locator('[data-testid="conn"]').innerText()).includes('连接中断'), 'down text')
      await page.locator('[data-testid="conn"].open').waitFor({ timeout: 15_000 })
    })
  } else skip('screen.update and hub drop (mock controls only)')

  await check('video: the HLS stream plays, click enlarges it in an overlay that plays too, Esc closes', async () => {
    const v = page.locator('[data-testid="panel-video"] video').first()
    await v.waitFor()
    await page.waitForFunction(() => (document.querySelector('[data-testid="panel-video"] video')?.currentTime ?? 0) > 0.5, null, { timeout: 45_000 })
    const t1 = await v.evaluate((el) => el.currentTime)
    await page.waitForTimeout(1200)
    const t2 = await v.evaluate((el) => el.currentTime)
    assert(t2 !== t1, `currentTime stuck at ${t1}`)
    assert((await page.locator('[data-testid="panel-video"] .osd--name').first().innerText()).includes('县政务服务中心'), 'overlay camera name')
    assert(/\d{2}:\d{2}:\d{2}/.test(await page.locator('[data-testid="panel-video"] .osd--time').first().innerText()), 'overlay time')
    await page.locator('[data-testid="panel-video"] button').first().click()
    const big = page.locator('[data-testid="video-overlay"] video')
    await big.waitFor()
    const box = await page.locator('[data-testid="video-overlay"] .player').boundingBox()
    assert(box && box.width >= 1400, `overlay width ${box?.width}`)
    await page.waitForFunction(() => (document.querySelector('[data-testid="video-overlay"] video')?.currentTime ?? 0) > 1, null, { timeout: 45_000 })
    await page.keyboard.press('Escape')
    await page.locator('[data-testid="video-overlay"]').waitFor({ state: 'detached' })
  })

  await check('a broken stream shows a Chinese error', async () => {
    const cfg = await api(page, 'GET', '/api/v1/screen/config')
    const streams = [{ id: 'gone', name: '已下线摄像头', url: '/media/none/index.m3u8' }, ...cfg.body.streams.slice(0, 1)]
    assert((await api(page, 'PUT', '/api/v1/screen/config', { ...cfg.body, streams })).status === 200, 'PUT')
    await page.goto(`${baseUrl}/screen/`)
    await ready(page)
    const err = page.locator('[data-testid="video-gone"] [data-testid="video-error"]')
    await err.waitFor({ timeout: 15_000 })
    assert(/[\u4e00-\u9fa5]/.test(await err.innerText()), `error text: ${await err.innerText()}`)
  })

  await check('3840×2160: the layout unit doubles (fonts and charts drawn at full resolution)', async () => {
    const ctx = await newContext(3840, 2160)
    const p = await ctx.newPage()
    current = p
    await p.goto(`${baseUrl}/portal/login`)
    await signIn(p)
    await p.waitForURL(/\/portal\/workbench/)
    await p.goto(`${baseUrl}/screen/`)
    await ready(p)
    assert((await p.locator('.stage').getAttribute('data-layout')) === '2160p', 'layout')
    assert((await p.evaluate(() => getComputedStyle(document.documentElement).fontSize)) === '20px', 'root font size')
    await p.waitForFunction(() => [...document.querySelectorAll('[data-testid^="chart-"] canvas')].length >= 5)
    const canvas = await p.evaluate(() => {
      const c = document.querySelector('[data-testid^="chart-"] canvas')
      return { w: c.width, css: c.getBoundingClientRect().width }
    })
    assert(canvas.css > 900 && canvas.w >= canvas.css, `canvas ${JSON.stringify(canvas)}`)
    await ctx.close()
    current = page
  })

  if (mock) {
    await check('a user without screen:view gets the Chinese permission message', async () => {
      const ctx = await newContext()
      const p = await ctx.newPage()
      current = p
      await p.goto(`${baseUrl}/portal/login?redirect=${encodeURIComponent('/screen/')}`)
      await signIn(p, 'clerk_zhuyang')
      await p.waitForURL(/\/screen\/$/)
      const text = await p.locator('[data-testid="fatal"]').innerText()
      assert(text.includes('没有查看指挥中心大屏的权限'), text)
      await ctx.close()
      current = page
    })
  } else skip('permission message (mock accounts only)')

  if (savedConfig) await api(page, 'PUT', '/api/v1/screen/config', savedConfig).catch(() => {})
  await check('no script errors on any page', async () => {
    assert(!pageErrors.length, pageErrors.join(' | '))
  })
} finally {
  await browser.close()
  cleanup()
}
finish()
