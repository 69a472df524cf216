// Guards the rule that user-visible text lives in each app's i18n/messages.ts.
import { describe, expect, it } from 'vitest'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { messages as portal } from '../apps/portal/i18n/messages'
import { messages as site } from '../apps/site/i18n/messages'
import { messages as mobile } from '../apps/m/i18n/messages'
import { messages as kiosk } from '../apps/kiosk/i18n/messages'
import { messages as hall } from '../apps/hall/i18n/messages'
import { messages as screen } from '../apps/screen/i18n/messages'

const webDir = join(__dirname, '..')
const CJK = /[\u4e00-\u9fff]/

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) files(path, out)
    else out.push(path)
  }
  return out
}

function stripComments(source: string): string {
  return source
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'"`])\/\/.*$/gm, '$1')
}

describe('i18n', () => {
  const all = { portal, site, m: mobile, kiosk, hall, screen }

  it.each(Object.entries(all))('%s has a Chinese page title and noscript text', (_name, m) => {
    expect(m.document.title).toMatch(CJK)
    expect(m.document.noscript).toMatch(CJK)
  })

  it('no Chinese literals in components or code outside i18n/ folders', () => {
    const offenders: string[] = []
    for (const file of [...files(join(webDir, 'apps')), ...files(join(webDir, 'shared'))]) {
      if (!/\.(vue|ts)$/.test(file) || file.includes('/i18n/')) continue
      const lines = stripComments(readFileSync(file, 'utf8')).split('\n')
      lines.forEach((line, i) => {
        if (CJK.test(line)) offenders.push(`${relative(webDir, file)}:${i + 1}: ${line.trim()}`)
      })
    }
    expect(offenders).toEqual([])
  })

  it('index.html files take their title from the messages', () => {
    for (const app of Object.keys(all)) {
      const html = readFileSync(join(webDir, 'apps', app, 'index.html'), 'utf8')
      expect(html).toContain('<title>%HRSS_TITLE%</title>')
      expect(html).toContain('lang="zh-CN"')
      expect(stripComments(html)).not.toMatch(CJK)
    }
  })
})
