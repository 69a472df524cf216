import { describe, expect, it } from 'vitest'
import { DEFAULT_LAYOUTS, pickLayout, px, stageGeometry } from '../apps/screen/lib/layout'
import { HEX_CELLS, TOWNSHIPS, heatColor, hexPoints } from '../apps/screen/lib/townships'

describe('stage geometry (layout unit, no CSS zoom)', () => {
  it('is 1 design px per CSS px at 1920×1080 and 2 at 3840×2160', () => {
    const hd = stageGeometry(1920, 1080)
    expect(hd).toMatchObject({ unit: 1, width: 1920, height: 1080, left: 0, top: 0 })
    expect(hd.layout.id).toBe('1080p')
    const uhd = stageGeometry(3840, 2160)
    expect(uhd).toMatchObject({ unit: 2, width: 3840, height: 2160, left: 0, top: 0 })
    expect(uhd.layout.id).toBe('2160p')
  })

  it('letterboxes a window that is not 16:9 and keeps the stage inside it', () => {
    const wide = stageGeometry(2560, 1080) // 21:9 wall
    expect(wide.unit).toBe(1)
    expect(wide.width).toBe(1920)
    expect(wide.left).toBe(320)
    expect(wide.top).toBe(0)
    const tall = stageGeometry(1920, 1200) // 16:10
    expect(tall.unit).toBe(1)
    expect(tall.top).toBe(60)
    const small = stageGeometry(1366, 768)
    expect(small.width).toBeLessThanOrEqual(1366)
    expect(small.height).toBeLessThanOrEqual(768)
    expect(small.unit).toBeCloseTo(768 / 1080, 5)
  })

  it('picks the configured layout nearest to the window and falls back to the defaults', () => {
    const layouts = [
      { id: 'a', width: 1920, height: 1080 },
      { id: 'b', width: 3840, height: 2160 },
      { id: 'c', width: 5760, height: 1080 },
    ]
    expect(pickLayout(layouts, 3600, 2000).id).toBe('b')
    expect(pickLayout(layouts, 1600, 900).id).toBe('a')
    expect(pickLayout([], 3840, 2160).id).toBe('2160p')
    expect(pickLayout([{ id: 'bad', width: 0, height: 0 }], 1920, 1080)).toEqual(DEFAULT_LAYOUTS[0])
    expect(pickLayout(undefined, 1920, 1080).id).toBe('1080p')
  })

  it('rounds design lengths to whole device pixels and never to zero', () => {
    expect(px(1, 2)).toBe(2)
    expect(px(3, 0.7)).toBe(2)
    expect(px(1, 0.3)).toBe(1)
    expect(px(1, 0.3, 2)).toBe(0.5)
    expect(px(0, 2)).toBe(0)
  })
})

describe('township schematic', () => {
  it('places all 31 townships of 大竹县 on distinct, non-overlapping hexagons, 竹阳街道 in the middle', () => {
    expect(TOWNSHIPS).toHaveLength(31)
    expect(HEX_CELLS).toHaveLength(31)
    expect(new Set(HEX_CELLS.map((c) => c.code)).size).toBe(31)
    expect(HEX_CELLS.every((c) => /^511724\d{3}$/.test(c.code))).toBe(true)
    expect(HEX_CELLS[0]).toMatchObject({ code: '511724001', name: '竹阳街道', x: 0, y: 0 })
    for (let i = 0; i < HEX_CELLS.length; i++) {
      for (let j = i + 1; j < HEX_CELLS.length; j++) {
        const d = Math.hypot(HEX_CELLS[i].x - HEX_CELLS[j].x, HEX_CELLS[i].y - HEX_CELLS[j].y)
        expect(d).toBeGreaterThan(Math.sqrt(3) - 1e-6)
      }
    }
    // An oval: wider than tall.
    const xs = HEX_CELLS.map((c) => c.x)
    const ys = HEX_CELLS.map((c) => c.y)
    expect(Math.max(...xs) - Math.min(...xs)).toBeGreaterThan(Math.max(...ys) - Math.min(...ys))
  })

  it('draws hexagons and colors values from blue (low) to yellow (high)', () => {
    expect(hexPoints(0, 0, 1).split(' ')).toHaveLength(6)
    expect(heatColor(0)).toBe('rgb(14, 52, 113)')
    expect(heatColor(1)).toBe('rgb(255, 210, 90)')
    expect(heatColor(2)).toBe(heatColor(1))
    expect(heatColor(null)).toBe('#1b2b48')
  })
})
