#!/usr/bin/env node
// End-to-end test of the portal's OpenID Connect provider with a real,
// certified relying-party library (openid-client). The test is the level-2
// system "jubao": it discovers the provider, signs a user in through the
// authorization code flow with PKCE, validates the ID token against the
// JWKS, reads userinfo, rotates the refresh token (and sees reuse refused),
// and logs out. Negative cases: no session, foreign redirect URI, code reuse.
//
//   HRSS_BASE_URL=http://127.0.0.1:8080 HRSS_E2E_USER=clerk_zhuyang HRSS_E2E_PASSWORD=... node oidc.e2e.mjs
import * as client from 'openid-client'

const base = (process.env.HRSS_BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '')
const user = process.env.HRSS_E2E_USER || 'clerk_zhuyang'
const password = process.env.HRSS_E2E_PASSWORD || 'Dazhu@2026'
const clientId = 'jubao'
const redirectUri = 'http://127.0.0.1:8090/callback'
let passed = 0, failed = 0
async function step(name, fn) {
  try { await fn(); passed++; console.log(`ok - ${name}`) }
  catch (e) { failed++; console.log(`not ok - ${name}: ${e && e.stack || e}`) }
}
function assert(cond, msg) { if (!cond) throw new Error(msg) }

let config, cookie = '', tokens, verifier, state, nonce
const insecure = { execute: [client.allowInsecureRequests] }

await step('discovery document and JWKS', async () => {
  config = await client.discovery(new URL(base), clientId, undefined, client.None(), insecure)
  const meta = config.serverMetadata()
  assert(meta.issuer === base, `issuer ${meta.issuer}`)
  assert(meta.code_challenge_methods_supported.includes('S256'), 'S256')
})

await step('authorize without a session redirects to the portal login', async () => {
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri, scope: 'openid profile',
    code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
    code_challenge_method: 'S256', state: 's0',
  })
  const r = await fetch(url, { redirect: 'manual' })
  assert(r.status === 302, `status ${r.status}`)
  assert(r.headers.get('location').startsWith('/portal/login?redirect='), r.headers.get('location'))
})

await step(`sign in to the portal as ${user}`, async () => {
  const r = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: user, password }),
  })
  assert(r.status === 200, `login status ${r.status} ${await r.text()}`)
  cookie = r.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
  assert(cookie.includes('hrss_session='), 'session cookie')
})

await step('a foreign redirect_uri is refused without redirecting', async () => {
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: 'https://evil.example/cb', scope: 'openid',
    code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
    code_challenge_method: 'S256',
  })
  const r = await fetch(url, { redirect: 'manual', headers: { cookie } })
  assert(r.status === 400, `status ${r.status}`)
})

let callbackUrl
await step('authorization code flow with PKCE', async () => {
  verifier = client.randomPKCECodeVerifier()
  state = client.randomState()
  nonce = client.randomNonce()
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri, scope: 'openid profile', state, nonce,
    code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  })
  const r = await fetch(url, { redirect: 'manual', headers: { cookie } })
  assert(r.status === 302, `status ${r.status} ${await r.text()}`)
  callbackUrl = new URL(r.headers.get('location'))
  assert(callbackUrl.origin + callbackUrl.pathname === redirectUri, callbackUrl.href)
  tokens = await client.authorizationCodeGrant(config, callbackUrl, {
    pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true,
  })
  const claims = tokens.claims()
  assert(claims.preferred_username === user, `preferred_username ${claims.preferred_username}`)
  assert(claims.aud === clientId, 'aud')
})

await step('the authorization code cannot be used twice', async () => {
  let refused = false
  try {
    await client.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce,
    })
  } catch (e) { refused = /invalid_grant/.test(String(e.error || e.message || e)) }
  assert(refused, 'second use of the code was not refused')
})

await step('userinfo with the access token', async () => {
  const info = await client.fetchUserInfo(config, tokens.access_token, tokens.claims().sub)
  assert(info.preferred_username === user, JSON.stringify(info))
})

await step('refresh token rotates; the old one is then refused', async () => {
  const old = tokens.refresh_token
  const fresh = await client.refreshTokenGrant(config, old)
  assert(fresh.refresh_token && fresh.refresh_token !== old, 'rotated')
  let refused = false
  try { await client.refreshTokenGrant(config, old) } catch (e) { refused = true }
  assert(refused, 'reused refresh token accepted')
  // Reuse revoked the whole family: the new one is dead too.
  let familyRevoked = false
  try { await client.refreshTokenGrant(config, fresh.refresh_token) } catch (e) { familyRevoked = true }
  assert(familyRevoked, 'family not revoked after reuse')
})

await step('RP-initiated logout returns to the registered page', async () => {
  const url = client.buildEndSessionUrl(config, {
    id_token_hint: tokens.id_token, post_logout_redirect_uri: 'http://127.0.0.1:8090/jubao/', state: 'bye',
  })
  const r = await fetch(url, { redirect: 'manual', headers: { cookie } })
  assert(r.status === 302, `status ${r.status}`)
  assert(r.headers.get('location') === 'http://127.0.0.1:8090/jubao/?state=bye', r.headers.get('location'))
})

await step('single logout: the portal session ended with the relying party', async () => {
  const r = await fetch(`${base}/api/v1/me`, { headers: { cookie } })
  assert(r.status === 401, `status ${r.status}`)
})

console.log(`${passed} passed, ${failed} failed`)
process.exit(failed ? 1 : 0)
