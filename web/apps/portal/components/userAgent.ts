// A short "Browser on System" label for a User-Agent string.
const BROWSERS: [RegExp, string][] = [
  [/MicroMessenger\/([\d.]+)/, 'WeChat'],
  [/Edg\/(\d+)/, 'Edge'],
  [/(?:OPR|Opera)\/(\d+)/, 'Opera'],
  [/Firefox\/(\d+)/, 'Firefox'],
  [/(?:Chrome|Chromium)\/(\d+)/, 'Chrome'],
  [/Version\/(\d+)[\d.]* .*Safari/, 'Safari'],
]
const SYSTEMS: [RegExp, string][] = [
  [/Windows NT/, 'Windows'],
  [/Android/, 'Android'],
  [/iPhone|iPad|iPod/, 'iOS'],
  [/Mac OS X/, 'macOS'],
  [/CrOS/, 'ChromeOS'],
  [/Linux/, 'Linux'],
]

export function describeUserAgent(ua: string | undefined): string {
  if (!ua) return '-'
  let browser = ''
  for (const [re, name] of BROWSERS) {
    const m = ua.match(re)
    if (m) {
      browser = `${name} ${m[1].split('.')[0]}`
      break
    }
  }
  const system = SYSTEMS.find(([re]) => re.test(ua))?.[1] ?? ''
  if (!browser && !system) return ua.length > 60 ? `${ua.slice(0, 57)}...` : ua
  return [browser, system].filter(Boolean).join(' / ')
}
