/// <reference types="vitest/config" />
// Vite multi-page build for the six web apps of 大竹数字人社平台.
//
// Layout: apps/<app>/index.html is the entry of each app; `vite build` writes
// dist/<app>/index.html plus hashed, shared assets under dist/assets/. The C++
// server maps URL prefixes to those folders (see APPS below and README.md) and
// falls back to the app's index.html for client-side routes. `npm run dev` and
// `npm run preview` apply the same mapping through spaFallback() so a
// developer sees what the server will serve.
import { defineConfig, type Plugin, type Connect } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'
import { VantResolver } from '@vant/auto-import-resolver'
import { fileURLToPath, URL } from 'node:url'
import { resolve } from 'node:path'

import { messages as portal } from './apps/portal/i18n/messages'
import { messages as site } from './apps/site/i18n/messages'
import { messages as mobile } from './apps/m/i18n/messages'
import { messages as kiosk } from './apps/kiosk/i18n/messages'
import { messages as hall } from './apps/hall/i18n/messages'
import { messages as screen } from './apps/screen/i18n/messages'

const webDir = fileURLToPath(new URL('.', import.meta.url))
const appsDir = resolve(webDir, 'apps')

/** Each app: folder under apps/ and dist/, URL prefix the server serves it at, document texts. */
export const APPS = [
  { name: 'portal', base: '/portal/', doc: portal.document },
  { name: 'm', base: '/m/', doc: mobile.document },
  { name: 'kiosk', base: '/kiosk/', doc: kiosk.document },
  { name: 'hall', base: '/hall/', doc: hall.document },
  { name: 'screen', base: '/screen/', doc: screen.document },
  // The public site owns "/" and is matched last.
  { name: 'site', base: '/', doc: site.document },
] as const

/** Fills %HRSS_TITLE% and %HRSS_NOSCRIPT% in each index.html from that app's i18n messages. */
function documentTexts(): Plugin {
  return {
    name: 'hrss-document-texts',
    transformIndexHtml(html, ctx) {
      const app = APPS.find((a) => ctx.filename.replace(/\\/g, '/').endsWith(`/apps/${a.name}/index.html`))
      if (!app) return html
      return html.replaceAll('%HRSS_TITLE%', app.doc.title).replaceAll('%HRSS_NOSCRIPT%', app.doc.noscript)
    },
  }
}

/**
 * Dev/preview stand-in for the server's routing: a request without a file
 * extension under an app's prefix is answered with that app's index.html.
 */
function spaFallback(): Plugin {
  const rewrite: Connect.NextHandleFunction = (req, _res, next) => {
    const url = req.url ?? '/'
    const path = url.split('?')[0]
    const skip = path.startsWith('/@') || path.startsWith('/assets/') || path.startsWith('/api/') ||
      path.startsWith('/node_modules/') || path === '/healthz' || /\.[a-zA-Z0-9]+$/.test(path)
    if (!skip && (req.method === 'GET' || req.method === 'HEAD')) {
      const app = APPS.find((a) => path === a.base.slice(0, -1) || path.startsWith(a.base))
      if (app) req.url = `/${app.name}/index.html`
    }
    next()
  }
  return {
    name: 'hrss-spa-fallback',
    configureServer(server) {
      server.middlewares.use(rewrite)
    },
    configurePreviewServer(server) {
      server.middlewares.use(rewrite)
    },
  }
}

export default defineConfig({
  root: appsDir,
  base: '/',
  publicDir: false,
  plugins: [
    vue(),
    Components({
      // Element Plus and Vant components are imported on demand, with their CSS.
      resolvers: [ElementPlusResolver({ importStyle: 'css' }), VantResolver()],
      dirs: [],
      dts: resolve(webDir, 'components.d.ts'),
    }),
    documentTexts(),
    spaFallback(),
  ],
  resolve: {
    alias: {
      '@shared': resolve(webDir, 'shared'),
    },
  },
  server: {
    port: 5173,
    // The C++ server answers the API during development.
    proxy: {
      '/api': process.env.HRSS_API_URL ?? 'http://127.0.0.1:8080',
      '/healthz': process.env.HRSS_API_URL ?? 'http://127.0.0.1:8080',
    },
  },
  preview: {
    port: 4173,
  },
  build: {
    outDir: resolve(webDir, 'dist'),
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2020',
    chunkSizeWarningLimit: 900,
    rollupOptions: {
      input: Object.fromEntries(APPS.map((a) => [a.name, resolve(appsDir, a.name, 'index.html')])),
    },
  },
  test: {
    root: webDir,
    include: ['tests/**/*.test.ts'],
    environment: 'jsdom',
    globals: false,
    css: false,
    restoreMocks: true,
    testTimeout: 20_000,
    setupFiles: ['tests/setup.ts'],
    // Component libraries import their CSS from ESM files; let Vite handle those.
    server: { deps: { inline: ['element-plus', 'vant'] } },
  },
})
