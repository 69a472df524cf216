#!/usr/bin/env node
// Screenshots of the portal's identity pages (login steps, 个人中心, 系统管理),
// for looking at them (not a test). Meant for `npm run serve:dist` (mock API):
//   HRSS_BASE_URL (default http://127.0.0.1:4180), HRSS_SCREENSHOT_DIR (default web/e2e/out/identity/)
//   HRSS_SHOT_USER / HRSS_SHOT_PASSWORD (default demo / demo: every permission in the mock),
//   HRSS_SHOT_TOTP_SECRET (base32) when that account needs a TOTP code,
//   HRSS_SHOT_PREFIX to prefix the file names (e.g. real-secadmin-).
// Against a real server (not the mock) the login-step and clerk shots are left out.
// A step that fails is reported and the next one runs.
//   node e2e/identity-screenshots.mjs [name-filter ...]
import { chromium } from 'playwright-core'
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { signIn } from './portal-session.mjs'

const baseUrl = (process.env.HRSS_BASE_URL || 'http://127.0.0.1:4180').replace(/\/+$/, '')
const outDir = resolve(process.env.HRSS_SCREENSHOT_DIR || fileURLToPath(new URL('./out/identity/', import.meta.url)))
const user = process.env.HRSS_SHOT_USER || 'demo'
const password = process.env.HRSS_SHOT_PASSWORD || 'demo'
const totpSecret = process.env.HRSS_SHOT_TOTP_SECRET || ''
const prefix = process.env.HRSS_SHOT_PREFIX || ''
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
  return { context, page }
}

async function shot(page, name, fullPage = false) {
  if (only.length && !only.some((o) => name.includes(o))) return
  await page.waitForTimeout(450)
  const file = join(outDir, `${prefix}${name}.png`)
  await page.screenshot({ path: file, fullPage })
  console.log(file)
}

const login = (page, username, pw, secret = '') => signIn(page, { baseUrl, username, password: pw, totpSecret: secret })

const visibleDialog = (page) => page.locator('.el-dialog:visible, .el-overlay-dialog .el-dialog').last()

/** Runs one group of shots; a failure is reported and the rest goes on. */
async function step(name, fn) {
  try {
    await fn()
  } catch (err) {
    errors.push(`${name}: ${String(err?.message ?? err).split('\n')[0]}`)
    console.log(`  step failed: ${name}`)
  }
}
const health = await fetch(`${baseUrl}/healthz`).then((r) => r.json()).catch(() => ({}))
const isMock = String(health.version ?? '').includes('mock')

try {
  // ---- login steps (mock accounts) ----
  if (isMock) {
    const { context, page } = await newPage()
    await step('login steps', async () => {
      await page.goto(`${baseUrl}/portal/login`)
      await page.locator('input[name="username"]').fill('totp')
      await page.locator('input[name="password"]').fill('demo')
      await page.locator('[data-testid="login-submit"]').click()
      await page.locator('[data-testid="totp-step"]').waitFor()
      await shot(page, '01-login-totp')
      await page.goto(`${baseUrl}/portal/login`)
      await page.locator('input[name="username"]').fill('locked')
      await page.locator('input[name="password"]').fill('demo')
      await page.locator('[data-testid="login-submit"]').click()
      await page.locator('[data-testid="login-error"]').waitFor()
      await shot(page, '02-login-locked')
      await page.locator('input[name="username"]').fill('expired')
      await page.locator('[data-testid="login-submit"]').click()
      await page.locator('[data-testid="expired-dialog"]').waitFor()
      await page.locator('input[name="expired-new-password"]').fill('abc')
      await page.locator('input[name="expired-confirm-password"]').click()
      await shot(page, '03-login-password-expired')
      await page.goto(`${baseUrl}/portal/login`)
      await page.locator('input[name="username"]').fill('newadmin')
      await page.locator('input[name="password"]').fill('demo')
      await page.locator('[data-testid="login-submit"]').click()
      await page.locator('[data-testid="totp-qr"]').waitFor()
      await shot(page, '04-login-totp-enrolment')
    })
    await context.close()
  }

  // ---- signed in as HRSS_SHOT_USER ----
  const { context, page } = await newPage()
  await login(page, user, password, totpSecret)
  await shot(page, '10-workbench')

  await step('profile', async () => {
    await page.goto(`${baseUrl}/portal/profile`)
    await page.locator('[data-testid="profile-info"]').waitFor()
    await shot(page, '20-profile-info')
    for (const [tab, name] of [['password', '21-profile-password'], ['sessions', '22-profile-sessions'], ['totp', '23-profile-totp'], ['certs', '25-profile-certs']]) {
      await page.goto(`${baseUrl}/portal/profile?tab=${tab}`)
      await page.waitForLoadState('networkidle')
      if (tab === 'password') {
        // A password the mock (and the policy) refuses: the server's rule is shown next to the form.
        await page.locator('input[name="old-password"]').fill(isMock ? 'demo' : 'wrong-old-password')
        await page.locator('input[name="new-password"]').fill('Dazhu@2024')
        await page.locator('input[name="confirm-password"]').fill('Dazhu@2024')
        await page.locator('[data-testid="password-submit"]').click()
        await page.locator('[data-testid="password-error"], .el-message--error').first().waitFor()
      }
      await shot(page, name)
      if (tab === 'totp') {
        await page.locator('[data-testid="totp-enrol"]').click()
        await page.locator('[data-testid="totp-qr"]').waitFor()
        await shot(page, '24-profile-totp-enrol')
      }
    }
  })

  await step('orgs', async () => {
    await page.goto(`${baseUrl}/portal/system/org`)
    await page.locator('[data-testid="org-table"] .el-table__row').first().waitFor()
    await shot(page, '30-system-org')
    const edit = page.locator('[data-testid="org-table"] .el-table__row').nth(2).getByRole('button', { name: '修改' })
    if (await edit.count()) {
      await edit.click()
      await visibleDialog(page).waitFor()
      await shot(page, '31-system-org-edit')
      await page.keyboard.press('Escape')
    }
  })

  await step('users', async () => {
    await page.goto(`${baseUrl}/portal/system/user`)
    await page.locator('[data-testid="user-table"] .el-table__row').first().waitFor()
    await shot(page, '40-system-user')
    if (await page.locator('[data-testid="user-add"]').count()) {
      await page.locator('[data-testid="user-add"]').click()
      await page.locator('[data-testid="user-dialog"]').waitFor()
      await page.locator('[data-testid="user-save"]').click()
      await shot(page, '41-system-user-add-validation')
      await page.keyboard.press('Escape')
      await page.waitForTimeout(300)
    }
    const more = page.locator('[data-testid="user-more-clerk_zhuyang"]')
    if (await more.count()) {
      await more.click()
      await page.locator('.el-dropdown-menu__item:visible', { hasText: '分配角色' }).click()
    } else {
      await page.locator('.el-table__row', { hasText: 'clerk_zhuyang' }).getByRole('button', { name: '分配角色' }).first().click()
    }
    await page.locator('[data-testid="assign-dialog"] .el-table__row').first().waitFor()
    await page.waitForTimeout(300)
    await shot(page, '42-system-user-assign-roles')
    if (isMock) {
      await page.locator('[data-testid="assign-save"]').click()
      await page.locator('[data-testid="reauth-dialog"]').waitFor()
      await shot(page, '43-reauth-dialog')
      await page.locator('input[name="reauth-password"]').fill(password)
      await page.locator('[data-testid="reauth-submit"]').click()
      await page.locator('.el-message--success').waitFor()
      await shot(page, '44-system-user-after-reauth')
    } else {
      await page.keyboard.press('Escape')
    }
  })

  await step('roles', async () => {
    await page.goto(`${baseUrl}/portal/system/role`)
    await page.locator('[data-testid="role-table"] .el-table__row').first().waitFor()
    await shot(page, '50-system-role')
    await page.locator('[data-testid="role-edit-counter_clerk"]').click()
    await page.locator('[data-testid="permission-tree"]').waitFor()
    await shot(page, '51-system-role-permissions')
    await page.locator('[data-testid="role-dialog"] .el-tabs__item', { hasText: '数据权限' }).click()
    await page.locator('[data-testid="scope-table"] .el-select[data-testid="scope-kind-jiancha"]').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '指定机构' }).click()
    await page.locator('[data-testid="scope-table"] .el-select[data-testid="scope-orgs-jiancha"]').click()
    await page.locator('.el-tree-select__popper:visible .el-tree-node__content', { hasText: '竹阳街道' }).first().click()
    await page.locator('.el-tree-select__popper:visible .el-tree-node__content', { hasText: '白塔街道' }).first().click()
    await page.locator('[data-testid="role-dialog"] .el-dialog__title').click()
    await shot(page, '52-system-role-scopes')
    await page.keyboard.press('Escape')
  })

  await step('delegation', async () => {
    await page.goto(`${baseUrl}/portal/system/delegation`)
    await page.locator('[data-testid="delegation-page"]').waitFor()
    await page.waitForLoadState('networkidle')
    await shot(page, '60-system-delegation')
    if (await page.locator('[data-testid="delegation-add"]:not([disabled])').count()) {
      await page.locator('[data-testid="delegation-add"]').click()
      await page.locator('[data-testid="delegation-dialog"]').waitFor()
      await page.locator('[data-testid="delegation-save"]').click()
      await shot(page, '61-system-delegation-validation')
      await page.keyboard.press('Escape')
    }
  })

  await step('online users', async () => {
    await page.goto(`${baseUrl}/portal/system/online`)
    await page.locator('[data-testid="online-table"] .el-table__row').first().waitFor()
    await shot(page, '70-system-online')
  })

  await step('audit', async () => {
    await page.goto(`${baseUrl}/portal/system/audit`)
    await page.locator('[data-testid="audit-table"] .el-table__row').first().waitFor()
    await shot(page, '80-system-audit')
    await page.locator('[data-testid="audit-verify"]').click()
    await page.locator('.el-message-box').waitFor()
    await shot(page, '81-system-audit-verify')
    await page.keyboard.press('Escape')
  })

  await step('sso apps', async () => {
    await page.goto(`${baseUrl}/portal/system/apps`)
    await page.locator('[data-testid="apps-page"]').waitFor()
    await page.waitForLoadState('networkidle')
    await shot(page, '90-system-apps')
  })
  await context.close()

  // ---- a township clerk: fewer menus, 403 on a direct link ----
  if (isMock || process.env.HRSS_SHOT_CLERK_PASSWORD) {
    const { context, page } = await newPage()
    await step('clerk', async () => {
      await login(page, 'clerk_zhuyang', process.env.HRSS_SHOT_CLERK_PASSWORD || 'demo')
      await page.locator('[data-testid="menu-system"]').click()
      await shot(page, '95-clerk-menu')
      await page.goto(`${baseUrl}/portal/system/role`)
      await page.locator('[data-testid="forbidden"]').waitFor()
      await shot(page, '96-clerk-forbidden')
    })
    await context.close()
  }
} finally {
  await browser.close()
}
if (errors.length) {
  console.log(`problems:\n  ${errors.join('\n  ')}`)
  process.exitCode = 1
}
