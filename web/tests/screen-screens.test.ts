import { describe, expect, it } from 'vitest'
import { carouselGroups, DEFAULT_ITEMS, groupAt, itemsToFetch, resolveScreen, screenParam, slotCount, WIDE_ITEMS } from '../apps/screen/lib/screens'
import { normalizeConfig } from '../apps/screen/lib/api'

const config = {
  defaultItems: ['business_yearly', 'consultation', 'query_volume', 'new_enrolment', 'business_monthly', 'transfer', 'info_maintenance',
    'card_maintenance', 'retirement', 'outlet_handling', 'staff_volume', 'heatmap'],
  screens: [
    { id: 'left', label: '左屏', panels: ['business_yearly', 'business_monthly', 'consultation', 'query_volume', 'new_enrolment', 'transfer', 'info_maintenance', 'card_maintenance'] },
    { id: 'center', panels: ['kpi', 'township_map', 'warnings', 'video', 'outlet_handling', 'heatmap', 'retirement'] },
    { id: 'right', panels: ['video', 'warnings', 'outlet_handling', 'staff_volume', 'video'] },
  ],
}

describe('?screen= parameter', () => {
  it('reads, trims and bounds it', () => {
    expect(screenParam('')).toBeNull()
    expect(screenParam('?screen=')).toBeNull()
    expect(screenParam('?screen=%20left%20')).toBe('left')
    expect(screenParam(`?screen=${'x'.repeat(100)}`)).toHaveLength(40)
  })
})

describe('resolveScreen', () => {
  it('single-screen mode: fixed kpi/map/warnings/video and the default items rotating, in the hub', () => {
    const r = resolveScreen(config, null)
    if (!r.ok) throw new Error(r.message)
    expect(r.value.mode).toBe('single')
    expect(r.value.template).toBe('hub')
    expect(r.value.fixed).toEqual(['kpi', 'township_map', 'warnings', 'video'])
    expect(r.value.rotating).toEqual(config.defaultItems)
    expect(itemsToFetch(r.value)).not.toContain('video')
    expect(itemsToFetch(r.value)).toContain('township_map')
  })

  it('falls back to the built-in default items when the config has none', () => {
    const r = resolveScreen({ screens: [], defaultItems: [] }, null)
    expect(r.ok && r.value.rotating).toEqual(DEFAULT_ITEMS)
  })

  it('multi-screen mode by id and by 1-based number', () => {
    const left = resolveScreen(config, 'left')
    const three = resolveScreen(config, '3')
    const two = resolveScreen(config, '2')
    expect(left.ok && left.value).toMatchObject({ mode: 'multi', index: 0, total: 3, template: 'wall', fixed: [] })
    expect(two.ok && two.value).toMatchObject({ index: 1, template: 'hub' })
    // Duplicates are dropped; video and warnings are fixed cells of the wall.
    expect(three.ok && three.value).toMatchObject({ index: 2, template: 'wall', fixed: ['video', 'warnings'], rotating: ['outlet_handling', 'staff_volume'] })
  })

  it('rejects an unknown screen with a Chinese message listing the choices', () => {
    const r = resolveScreen(config, 'north')
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.message).toBe('未找到分屏“north”。可用分屏：1（left）、2（center）、3（right）')
    expect(resolveScreen(config, '0').ok).toBe(false)
    expect(resolveScreen(config, '4').ok).toBe(false)
  })
})

describe('carousel groups', () => {
  it('hub: 4 side charts + 1 wide chart per group, every item shown, the wide slot always wide', () => {
    const r = resolveScreen(config, null)
    if (!r.ok) throw new Error()
    expect(slotCount(r.value)).toBe(5)
    const groups = carouselGroups(r.value)
    expect(groups).toHaveLength(4) // 8 side items (2 groups of 4), 4 wide items → 4 groups
    for (const g of groups) {
      expect(g).toHaveLength(5)
      expect(WIDE_ITEMS).toContain(g[3])
      expect(new Set(g).size).toBe(5)
    }
    expect(new Set(groups.flat())).toEqual(new Set(config.defaultItems))
  })

  it('wall: 6 cells minus the fixed ones, wrapping so the last group is full', () => {
    const left = resolveScreen(config, 'left')
    if (!left.ok) throw new Error()
    const groups = carouselGroups(left.value)
    expect(groups).toEqual([
      ['business_yearly', 'business_monthly', 'consultation', 'query_volume', 'new_enrolment', 'transfer'],
      ['info_maintenance', 'card_maintenance', 'business_yearly', 'business_monthly', 'consultation', 'query_volume'],
    ])
    const right = resolveScreen(config, 'right')
    if (!right.ok) throw new Error()
    expect(slotCount(right.value)).toBe(4)
    expect(carouselGroups(right.value)).toEqual([['outlet_handling', 'staff_volume']])
  })

  it('maps the shared step onto each display’s own groups, so displays turn together', () => {
    const groups = [['a'], ['b'], ['c']]
    expect(groupAt(groups, 0)).toEqual({ index: 0, items: ['a'] })
    expect(groupAt(groups, 4)).toEqual({ index: 1, items: ['b'] })
    expect(groupAt(groups, -1).index).toBe(2)
    expect(groupAt([[]], 7)).toEqual({ index: 0, items: [] })
  })
})

describe('normalizeConfig', () => {
  it('fills defaults and bounds the interval', () => {
    const c = normalizeConfig({ carousel: { enabled: true, intervalSec: 1 } })
    expect(c.carousel.intervalSec).toBe(5)
    expect(c.layouts.map((l) => l.id)).toEqual(['1080p', '2160p'])
    expect(c.defaultItems).toEqual(DEFAULT_ITEMS)
    expect(normalizeConfig({ carousel: { enabled: false, intervalSec: 9999 } }).carousel).toEqual({ enabled: false, intervalSec: 600 })
    expect(normalizeConfig(null).streams).toEqual([])
    expect(normalizeConfig({ streams: [{ id: 'x', name: 'x' } as never, { id: 'a', name: '大厅', url: '/media/a/index.m3u8' }] }).streams).toHaveLength(1)
  })
})
