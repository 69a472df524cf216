// The 31 township-level units of 大竹县 (src/core/division.cc, NBS 2023) and a
// schematic honeycomb for the map panel: no boundary data exists, so each
// township is one hexagon of an oval honeycomb, the county seat (竹阳街道) in
// the middle, the other two 街道 next to it, then the towns and townships in
// code order spiralling outwards. It is a schematic, not a geographic map.
// The names themselves are in the message catalogue (i18n/messages.ts).
import { messages } from '../i18n/messages'

export const TOWNSHIPS: ReadonlyArray<readonly [string, string]> = messages.townships

export interface HexCell {
  code: string
  name: string
  /** Center in hex-size units (pointy-top hexagons of circumradius 1). */
  x: number
  y: number
}

const SQRT3 = Math.sqrt(3)

/** Honeycomb cells ordered from the center outwards on an oval (wider than tall). */
function ovalCells(count: number): Array<{ x: number; y: number }> {
  const cells: Array<{ x: number; y: number; d: number; a: number }> = []
  for (let r = -5; r <= 5; r++) {
    for (let q = -8; q <= 8; q++) {
      const x = SQRT3 * (q + r / 2)
      const y = 1.5 * r
      const d = (x / 1.55) ** 2 + y ** 2
      let a = Math.atan2(y, x)
      if (a < 0) a += 2 * Math.PI
      cells.push({ x, y, d: Math.round(d * 1000) / 1000, a })
    }
  }
  cells.sort((p, q) => p.d - q.d || p.a - q.a)
  return cells.slice(0, count).map(({ x, y }) => ({ x, y }))
}

export const HEX_CELLS: HexCell[] = (() => {
  const cells = ovalCells(TOWNSHIPS.length)
  return TOWNSHIPS.map(([code, name], i) => ({ code, name, ...cells[i] }))
})()

/** SVG points of a pointy-top hexagon. */
export function hexPoints(cx: number, cy: number, r: number): string {
  const pts: string[] = []
  for (let i = 0; i < 6; i++) {
    const ang = (Math.PI / 180) * (60 * i - 30)
    pts.push(`${(cx + r * Math.cos(ang)).toFixed(2)},${(cy + r * Math.sin(ang)).toFixed(2)}`)
  }
  return pts.join(' ')
}

const STOPS = ['#0e3471', '#1560c0', '#1aa7e0', '#2fd6c0', '#9be36b', '#ffd25a']

/** Fill color for t in [0,1] (blue → cyan → yellow); a muted color when unknown. */
export function heatColor(t: number | null): string {
  if (t === null || !Number.isFinite(t)) return '#1b2b48'
  const x = Math.min(1, Math.max(0, t)) * (STOPS.length - 1)
  const i = Math.min(STOPS.length - 2, Math.floor(x))
  const f = x - i
  const a = parseInt(STOPS[i].slice(1), 16)
  const b = parseInt(STOPS[i + 1].slice(1), 16)
  const mix = (sh: number) => Math.round(((a >> sh) & 255) * (1 - f) + ((b >> sh) & 255) * f)
  return `rgb(${mix(16)}, ${mix(8)}, ${mix(0)})`
}
