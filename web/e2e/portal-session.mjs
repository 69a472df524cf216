// Portal sign-in shared by the end-to-end and screenshot scripts: signIn on
// a page, or portalSession for a fresh 1440×900 zh-CN context whose page
// errors are collected into `pageErrors` as "username: message".
import { secondsLeftInStep, totp } from '../scripts/totp.mjs'

let lastTotpStep = -1

/**
 * Signs `username` in on `page` and waits for the workbench. With totpSecret,
 * answers the second step with a fresh code (a code is accepted once per
 * 30-second step: never reuse one, never send one about to expire).
 */
export async function signIn(page, { baseUrl, username, password, totpSecret = '' }) {
  await page.goto(`${baseUrl}/portal/login`)
  await page.locator('input[name="username"]').fill(username)
  await page.locator('input[name="password"]').fill(password)
  await page.locator('[data-testid="login-submit"]').click()
  if (totpSecret) {
    await page.locator('[data-testid="totp-step"]').waitFor()
    const step = () => Math.floor(Date.now() / 30_000)
    if (step() === lastTotpStep || secondsLeftInStep() < 5) await page.waitForTimeout(secondsLeftInStep() * 1000 + 300)
    lastTotpStep = step()
    await page.locator('input[name="totp"]').fill(totp(totpSecret))
    await page.locator('[data-testid="totp-submit"]').click()
  }
  await page.waitForURL(/\/portal\/workbench/)
  await page.locator('[data-testid="header-user"]').waitFor()
}

/** A fresh context signed in as `username` (signIn): { context, page }. */
export async function portalSession(browser, { baseUrl, username, password, timeoutMs, pageErrors, totpSecret = '' }) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  const page = await context.newPage()
  page.setDefaultTimeout(timeoutMs)
  page.on('pageerror', (err) => pageErrors.push(`${username}: ${err.message}`))
  await signIn(page, { baseUrl, username, password, totpSecret })
  return { context, page }
}
