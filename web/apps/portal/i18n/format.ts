// Fills {name} placeholders of a message: fmt('共 {n} 条', { n: 3 }) → '共 3 条'.
export function fmt(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole))
}

const pad = (n: number) => String(n).padStart(2, '0')

/** Epoch milliseconds → "YYYY-MM-DD HH:mm:ss" in the browser's time zone; '' for none. */
export function formatDateTime(ms: number | null | undefined, withSeconds = true): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms <= 0) return ''
  const d = new Date(ms)
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}${withSeconds ? `:${pad(d.getSeconds())}` : ''}`
  return `${date} ${time}`
}
