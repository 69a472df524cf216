#!/usr/bin/env node
// A small stand-in for the hrss server's static routing, for checking the
// built apps (and running the e2e test) without the C++ server:
//   /assets/*        → dist/assets (long cache)
//   /<app>/...       → dist/<app>/<file>, or dist/<app>/index.html for routes
//   /                → dist/site/index.html (the public site owns "/")
// With --mock-api it also answers /healthz and an in-memory identity API
// (scripts/mock-identity.mjs: accounts demo/demo, totp/demo + TOTP 123456,
// admin, secadmin, auditor ... listed there) so every portal page can be
// clicked through, and the data center API with its WebSocket hub
// (scripts/mock-datacenter.mjs), and the command-center screen API with /media/
// HLS files from --media-dir (scripts/mock-screen.mjs; make a stream with
// scripts/make-test-stream.sh). Development aid only: the real server lives in src/.
//
//   node scripts/serve-dist.mjs [--port 4180] [--dist dist] [--mock-api] [--media-dir DIR]
import { createServer } from 'node:http'
import { readFile, stat } from 'node:fs/promises'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { randomBytes } from 'node:crypto'
import { createMockIdentity } from './mock-identity.mjs'
import { createMockDatacenter } from './mock-datacenter.mjs'
import { createMockAnalytics } from './mock-analytics.mjs'
import { createMockScreen } from './mock-screen.mjs'

const args = process.argv.slice(2)
const opt = (name, fallback) => {
  const i = args.indexOf(name)
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback
}
const port = Number(opt('--port', process.env.PORT ?? 4180))
const distDir = resolve(opt('--dist', new URL('../dist', import.meta.url).pathname))
const mockApi = args.includes('--mock-api')

const APPS = ['portal', 'm', 'kiosk', 'hall', 'screen']
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
}

function send(res, status, body, headers = {}) {
  res.writeHead(status, headers)
  res.end(body)
}
function sendJson(res, status, value, headers = {}) {
  send(res, status, JSON.stringify(value), { 'Content-Type': 'application/json; charset=utf-8', ...headers })
}

async function sendFile(req, res, file, cacheControl) {
  let path = file
  const headers = { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': cacheControl }
  if (/\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
    try {
      await stat(`${file}.gz`)
      path = `${file}.gz`
      headers['Content-Encoding'] = 'gzip'
      headers.Vary = 'Accept-Encoding'
    } catch {
      /* no pre-compressed file */
    }
  }
  send(res, 200, req.method === 'HEAD' ? undefined : await readFile(path), headers)
}

async function isFile(path) {
  try {
    return (await stat(path)).isFile()
  } catch {
    return false
  }
}

// ---- optional mock API -------------------------------------------------------
// /healthz here; /api/v1/* by the in-memory identity mock (scripts/mock-identity.mjs).
const started = Date.now()
function cookies(req) {
  return Object.fromEntries(
    (req.headers.cookie ?? '').split(';').map((c) => c.trim().split('=')).filter((p) => p[0]),
  )
}
async function readJson(req) {
  const chunks = []
  for await (const c of req) chunks.push(c)
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}')
  } catch {
    return null
  }
}
const apiError = (res, status, code, message) => sendJson(res, status, { code, message, requestId: randomBytes(6).toString('hex') })
// The data center mock (scripts/mock-datacenter.mjs) answers behind the identity mock's session checks.
const datacenter = mockApi ? createMockDatacenter() : null
const screen = mockApi ? createMockScreen({ mediaDir: opt('--media-dir', process.env.HRSS_MEDIA_DIR ?? '') }) : null
// The analytics mock (scripts/mock-analytics.mjs): cubes, pivot queries, saved views, domain views.
const analytics = mockApi ? createMockAnalytics() : null
const identity = mockApi ? createMockIdentity({ extensions: [datacenter.handle, screen.handle, analytics] }) : null

async function handleApi(req, res, path, url) {
  if (path === '/healthz') {
    return sendJson(res, 200, {
      status: 'ok',
      version: '0.0.0-mock',
      uptimeSeconds: Math.floor((Date.now() - started) / 1000) + 93784,
      storage: { relational: { status: 'ok', driver: 'sqlite' }, hot: { status: 'ok' }, files: { status: 'ok' } },
    })
  }
  let parsed
  const body = async () => (parsed ??= await readJson(req))
  return identity({ req, res, path, url, body, cookies: cookies(req), sendJson, send })
}

// ---- static routing ------------------------------------------------------------
const server = createServer(async (req, res) => {
  try {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const path = decodeURIComponent(url.pathname)
    if (mockApi && (path === '/healthz' || path.startsWith('/api/'))) return await handleApi(req, res, path, url)
    if (screen && screen.control(req, res, path)) return
    if (screen && path.startsWith('/media/')) return await screen.serveMedia(req, res, path, !!cookies(req).hrss_session)
    if (path.startsWith('/api/')) return apiError(res, 404, 'NOT_FOUND', 'no such route')
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, '', { Allow: 'GET, HEAD' })

    const rel = normalize(path).replace(/^([/\\])+/, '')
    if (rel.split(sep).includes('..')) return send(res, 400, 'bad path')

    if (path.startsWith('/assets/')) {
      const file = join(distDir, rel)
      if (await isFile(file)) return await sendFile(req, res, file, 'public, max-age=31536000, immutable')
      return send(res, 404, 'not found')
    }
    const app = APPS.find((a) => path === `/${a}` || path.startsWith(`/${a}/`))
    if (path === `/${app}`) return send(res, 301, '', { Location: `/${app}/` })
    const appDir = join(distDir, app ?? 'site')
    const inApp = app ? rel.slice(app.length + 1) : rel
    if (inApp && inApp !== 'index.html') {
      const file = join(appDir, inApp)
      if (await isFile(file)) return await sendFile(req, res, file, 'no-cache')
      // A missing file with an extension is a 404, everything else is a client-side route.
      if (extname(inApp)) return send(res, 404, 'not found')
    }
    return await sendFile(req, res, join(appDir, 'index.html'), 'no-cache')
  } catch (err) {
    send(res, 500, String(err))
  }
})

// WebSocket hub on /api/v1/ws (topic datacenter.batch) for the mock.
if (datacenter) datacenter.attachHub(server)
// screen.update on the same hub sockets (the data center mock answers the handshake).
if (screen) screen.attachHub(server)

server.listen(port, '127.0.0.1', () => {
  console.log(`serving ${distDir} at http://127.0.0.1:${port}/${mockApi ? ' (mock API)' : ''}`)
})
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.close(() => process.exit(0)))
