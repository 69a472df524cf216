// Links that come from the server (SSO application URLs, icons) are followed
// only when they are http(s) or same-site paths: never javascript: or data:.
export function safeAppUrl(url: string | undefined | null): string | undefined {
  const u = (url ?? '').trim()
  if (!u) return undefined
  if (u.startsWith('/') && !u.startsWith('//')) return u
  try {
    const parsed = new URL(u)
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined
  } catch {
    return undefined
  }
}
