#!/usr/bin/env node
// End-to-end test of the portal's identity pages against a running hrss server:
// the security administrator signs in with password + TOTP, opens 角色管理,
// creates a role with one of their own permissions and a data scope, reloads
// and finds it saved, grants the role a second permission, reloads and finds
// both, then deletes the role again.
//
//   HRSS_BASE_URL                 server to test (default http://127.0.0.1:8080)
//   HRSS_E2E_ADMIN_USER           the security administrator, e.g. secadmin
//   HRSS_E2E_ADMIN_PASSWORD       their password (`hrss demo --demo-password P`)
//   HRSS_E2E_ADMIN_TOTP_SECRET    their TOTP secret, base32 (printed by `hrss demo`)
//   HRSS_SCREENSHOT_DIR           where screenshots go (default web/e2e/out/)
//   HRSS_CHROMIUM                 browser binary (default /usr/bin/chromium)
//
// Without the three HRSS_E2E_ADMIN_* variables the test is skipped (exit 0).
// Prints one line per check and ends with "N passed, M failed"; exits non-zero
// when any check failed. The TOTP code is computed here (RFC 6238, HMAC-SHA-1).
import { chromium } from 'playwright-core'
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { hotp, secondsLeftInStep, totp } from '../scripts/totp.mjs'

const baseUrl = (process.env.HRSS_BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '')
const shotDir = resolve(process.env.HRSS_SCREENSHOT_DIR || fileURLToPath(new URL('./out/', import.meta.url)))
const executablePath = process.env.HRSS_CHROMIUM || '/usr/bin/chromium'
const user = process.env.HRSS_E2E_ADMIN_USER
const password = process.env.HRSS_E2E_ADMIN_PASSWORD
const totpSecret = process.env.HRSS_E2E_ADMIN_TOTP_SECRET
const TIMEOUT_MS = 15_000

if (!user || !password || !totpSecret) {
  console.log('skip - identity e2e: set HRSS_E2E_ADMIN_USER, HRSS_E2E_ADMIN_PASSWORD and HRSS_E2E_ADMIN_TOTP_SECRET (security administrator, e.g. secadmin)')
  console.log('0 passed, 0 failed, 1 skipped')
  process.exit(0)
}

let passed = 0
let failed = 0
let stop = false

/**
 * Runs one check; after a failed critical check the later ones are reported as
 * failed without running, except those marked `always` (clean-up).
 */
async function check(name, fn, { critical = true, always = false } = {}) {
  if (stop && !always) {
    failed++
    console.log(`not ok - ${name}: skipped after an earlier failure`)
    return
  }
  try {
    await fn()
    passed++
    console.log(`ok - ${name}`)
  } catch (err) {
    failed++
    if (critical) stop = true
    const message = (err && err.message ? err.message : String(err))
      .replace(/\u001b\[[0-9;]*m/g, '')
      .split('\n')
      .slice(0, 4)
      .join(' | ')
    console.log(`not ok - ${name}: ${message}`)
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(message)
}

/** A fresh code, never one about to expire (a code is valid for its 30-second step). */
async function freshTotp() {
  if (secondsLeftInStep() < 5) await new Promise((r) => setTimeout(r, secondsLeftInStep() * 1000 + 300))
  return totp(totpSecret)
}

const stamp = Date.now().toString(36)
const roleCode = `e2e_${stamp}`
const roleName = `E2E测试角色${stamp}`

async function main() {
  mkdirSync(shotDir, { recursive: true })

  await check('RFC 6238 test vectors (HMAC-SHA-1)', async () => {
    const key = Buffer.from('12345678901234567890')
    for (const [t, code] of [[59, '94287082'], [1111111109, '07081804'], [1234567890, '89005924'], [20000000000, '65353130']]) {
      const got = hotp(key, Math.floor(t / 30), 8)
      assert(got === code, `T=${t}: ${got} != ${code}`)
    }
    assert(/^\d{6}$/.test(totp(totpSecret)), 'HRSS_E2E_ADMIN_TOTP_SECRET is not valid base32')
  })

  let browser
  try {
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

    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
    const page = await context.newPage()
    page.setDefaultTimeout(TIMEOUT_MS)
    const pageErrors = []
    page.on('pageerror', (err) => pageErrors.push(err.message))

    const roleRow = () => page.locator('[data-testid="role-table"] .el-table__row', { has: page.locator(`[data-testid="role-name-${roleCode}"]`) })
    const dialog = () => page.locator('[data-testid="role-dialog"]')
    const node = (key) => page.locator(`[data-testid="permission-tree"] .el-tree-node__content:has(span.perm-node[data-key="${key}"])`).first()
    const isChecked = async (key) => /\bis-checked\b/.test((await node(key).locator('.el-checkbox__input').getAttribute('class')) ?? '')

    /** Saves the open role dialog; answers the re-authentication dialog with the password if it comes. */
    async function saveRole() {
      await page.locator('[data-testid="role-save"]').click()
      const ok = page.locator('.el-message--success')
      const reauth = page.locator('[data-testid="reauth-dialog"]')
      const error = page.locator('.el-message--error')
      await Promise.race([ok.first().waitFor(), reauth.waitFor(), error.first().waitFor()])
      if (await reauth.isVisible()) {
        await page.locator('input[name="reauth-password"]').fill(password)
        await page.locator('[data-testid="reauth-submit"]').click()
        await Promise.race([ok.first().waitFor(), error.first().waitFor()])
      }
      if (await error.first().isVisible()) throw new Error(`save refused: ${await error.first().innerText()}`)
      await dialog().waitFor({ state: 'hidden' })
    }

    async function openRoleManagement() {
      await page.goto(`${baseUrl}/portal/system/role`)
      await page.locator('[data-testid="role-page"]').waitFor()
      await page.locator('[data-testid="role-table"] .el-table__row').first().waitFor()
    }

    async function openEditor() {
      await roleRow().locator(`[data-testid="role-edit-${roleCode}"]`).click()
      await page.locator('[data-testid="permission-tree"]').waitFor()
      await page.waitForTimeout(300)
    }

    await check(`sign in as ${user} with password and TOTP`, async () => {
      await page.goto(`${baseUrl}/portal/login`)
      await page.locator('input[name="username"]').fill(user)
      await page.locator('input[name="password"]').fill(password)
      await page.locator('[data-testid="login-submit"]').click()
      await page.locator('[data-testid="totp-step"]').waitFor()
      await page.locator('input[name="totp"]').fill(await freshTotp())
      await page.locator('[data-testid="totp-submit"]').click()
      await page.waitForURL(/\/portal\/workbench/)
      await page.locator('[data-testid="header-user"]').waitFor()
    })

    await check('角色管理 is in the menu and opens the role list', async () => {
      await page.locator('[data-testid="menu-system"] .el-sub-menu__title').click()
      await page.locator('[data-testid="menu-system-role"]').click()
      await page.waitForURL(/\/portal\/system\/role/)
      await page.locator('[data-testid="role-table"] .el-table__row').first().waitFor()
      await page.screenshot({ path: join(shotDir, 'identity-roles.png') })
    })

    // Two of the administrator's own permissions to grant (greyed-out keys are not theirs).
    let first = ''
    let second = ''
    let created = false
    await check('create a role with one of my permissions and a data scope', async () => {
      await page.locator('[data-testid="role-add"]').click()
      await page.locator('[data-testid="permission-tree"]').waitFor()
      const keys = await page.locator('[data-testid="permission-tree"] .el-tree-node__content').evaluateAll((rows) =>
        rows
          .filter((r) => !r.querySelector('.el-checkbox__input.is-disabled'))
          .map((r) => r.querySelector('span.perm-node')?.getAttribute('data-key'))
          .filter((k) => k && k.includes(':')),
      )
      const preferred = ['system:org:read', 'system:user:read'].filter((k) => keys.includes(k))
      const ordered = [...preferred, ...keys.filter((k) => !preferred.includes(k))]
      assert(ordered.length >= 2, `fewer than two grantable permissions in the tree: ${keys.join(', ')}`)
      ;[first, second] = ordered
      await page.locator('input[name="role-name"]').fill(roleName)
      await page.locator('input[name="role-code"]').fill(roleCode)
      await node(first).locator('.el-checkbox').click()
      assert(await isChecked(first), `${first} did not get checked`)
      await dialog().locator('.el-tabs__item', { hasText: '数据权限' }).click()
      await page.locator('[data-testid="scope-table"] .el-select[data-testid="scope-kind-jubao"]').click()
      await page.locator('.el-select-dropdown__item:visible', { hasText: '仅本人' }).click()
      await page.screenshot({ path: join(shotDir, 'identity-role-new.png') })
      await saveRole()
      created = true
    })

    await check('after reload the new role is listed with its permission and scope', async () => {
      await openRoleManagement()
      await roleRow().waitFor()
      await openEditor()
      assert(await isChecked(first), `${first} is not checked after reload`)
      assert(!(await isChecked(second)), `${second} is checked but was never granted`)
      await dialog().locator('.el-tabs__item', { hasText: '数据权限' }).click()
      const kind = await page.locator('[data-testid="scope-table"] .el-select[data-testid="scope-kind-jubao"]').innerText()
      assert(kind.includes('仅本人'), `jubao scope reads "${kind.trim()}"`)
    })

    await check('grant the role a second permission', async () => {
      await dialog().locator('.el-tabs__item', { hasText: '功能权限' }).click()
      await node(second).locator('.el-checkbox').click()
      assert(await isChecked(second), `${second} did not get checked`)
      await saveRole()
    })

    await check('after reload the role holds both permissions', async () => {
      await openRoleManagement()
      await openEditor()
      assert(await isChecked(first), `${first} is not checked after reload`)
      assert(await isChecked(second), `${second} is not checked after reload`)
      await page.screenshot({ path: join(shotDir, 'identity-role-granted.png') })
      await page.keyboard.press('Escape')
      await dialog().waitFor({ state: 'hidden' })
    })

    await check('delete the test role again', async () => {
      assert(created, 'the role was not created')
      await page.keyboard.press('Escape')
      await openRoleManagement()
      await roleRow().locator(`[data-testid="role-delete-${roleCode}"]`).click()
      await page.locator('.el-message-box .el-button--primary').click()
      const reauth = page.locator('[data-testid="reauth-dialog"]')
      const ok = page.locator('.el-message--success')
      await Promise.race([ok.first().waitFor(), reauth.waitFor()])
      if (await reauth.isVisible()) {
        await page.locator('input[name="reauth-password"]').fill(password)
        await page.locator('[data-testid="reauth-submit"]').click()
        await ok.first().waitFor()
      }
      await openRoleManagement()
      assert((await roleRow().count()) === 0, 'the role is still listed after deletion')
    }, { critical: false, always: true })

    await check('no script errors on the pages', async () => {
      assert(pageErrors.length === 0, `page errors: ${pageErrors.join(' | ')}`)
    }, { critical: false, always: true })

    await context.close()
  } finally {
    await browser?.close().catch(() => {})
  }
}

try {
  await main()
} catch (err) {
  failed++
  console.log(`not ok - identity e2e run: ${err && err.message ? err.message : err}`)
}
console.log(`screenshots: ${shotDir}`)
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed > 0 || passed === 0 ? 1 : 0)
