// Layout scaling for the big screen. The design grid is 1920×1080 "design
// pixels"; the stage is laid out at the window's real size and every length
// is multiplied by the layout unit `u` (CSS: html font-size = 10u px, so
// 2.4rem = 24 design px; charts: fontSize * u). Nothing is scaled with a CSS
// transform, so text, lines and canvases are drawn at the display's own
// resolution — crisp on a 3840×2160 wall as on 1920×1080.
import type { LayoutDef } from './types'

export const DESIGN_WIDTH = 1920
export const DESIGN_HEIGHT = 1080

export const DEFAULT_LAYOUTS: LayoutDef[] = [
  { id: '1080p', label: '1920×1080', width: 1920, height: 1080 },
  { id: '2160p', label: '3840×2160', width: 3840, height: 2160 },
]

export interface StageGeometry {
  /** The layout unit: design px → CSS px. */
  unit: number
  /** Stage size and offset in CSS px (letterboxed when the aspect differs from 16:9). */
  width: number
  height: number
  left: number
  top: number
  /** The configured layout closest to the window. */
  layout: LayoutDef
}

/** The configured layout nearest to the window (by area ratio); defaults when none is valid. */
export function pickLayout(layouts: LayoutDef[] | undefined, vw: number, vh: number): LayoutDef {
  const valid = (layouts ?? []).filter((l) => l.width > 0 && l.height > 0)
  const list = valid.length ? valid : DEFAULT_LAYOUTS
  let best = list[0]
  let bestScore = Infinity
  for (const l of list) {
    const score = Math.abs(Math.log((vw * vh) / (l.width * l.height)))
    if (score < bestScore) {
      best = l
      bestScore = score
    }
  }
  return best
}

/** Stage geometry for a window of vw×vh CSS px. */
export function stageGeometry(vw: number, vh: number, layouts?: LayoutDef[]): StageGeometry {
  const w = Math.max(1, vw)
  const h = Math.max(1, vh)
  const unit = Math.min(w / DESIGN_WIDTH, h / DESIGN_HEIGHT)
  const width = Math.round(DESIGN_WIDTH * unit)
  const height = Math.round(DESIGN_HEIGHT * unit)
  return {
    unit,
    width,
    height,
    left: Math.floor((w - width) / 2),
    top: Math.floor((h - height) / 2),
    layout: pickLayout(layouts, w, h),
  }
}

/** A design length in CSS px at unit u, rounded to whole device pixels for crisp lines. */
export function px(design: number, u: number, dpr = 1): number {
  const v = Math.round(design * u * dpr) / dpr
  return design > 0 && v <= 0 ? 1 / dpr : v
}
