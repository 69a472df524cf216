// The kiosk forgets its user after 60 s without input: it drops the card
// holder's data and returns to the "请刷身份证或社保卡" start screen.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { mount, type VueWrapper } from '@vue/test-utils'
import { nextTick } from 'vue'
import KioskApp from '../apps/kiosk/App.vue'
import { CARD_EVENT, kiosk, resetKiosk } from '../apps/kiosk/session'
import { messages } from '../apps/kiosk/i18n/messages'

async function advance(ms: number) {
  await vi.advanceTimersByTimeAsync(ms)
  await nextTick()
}

describe('kiosk idle privacy reset', () => {
  let wrapper: VueWrapper

  beforeEach(() => {
    vi.useFakeTimers()
    resetKiosk()
    wrapper = mount(KioskApp, { attachTo: document.body })
  })
  afterEach(() => {
    wrapper.unmount()
    vi.useRealTimers()
    document.body.innerHTML = ''
  })

  const screen = () =>
    wrapper.find('[data-testid="start-screen"]').exists()
      ? 'start'
      : wrapper.find('[data-testid="menu-screen"]').exists()
        ? 'menu'
        : 'service'

  it('starts on the card prompt', () => {
    expect(screen()).toBe('start')
    expect(wrapper.text()).toContain('请刷身份证或社保卡')
  })

  it('returns to the start screen and clears the card holder after 60 s without input', async () => {
    window.dispatchEvent(new CustomEvent(CARD_EVENT, { detail: { name: '张*', idMasked: '5130**********1234' } }))
    await nextTick()
    expect(screen()).toBe('menu')
    expect(wrapper.find('[data-testid="greeting"]').text()).toContain('张*')

    await wrapper.find('[data-testid="service-insured"]').trigger('click')
    expect(screen()).toBe('service')

    await advance(49_000)
    expect(screen()).toBe('service')
    expect(wrapper.find('[data-testid="idle-warning"]').exists()).toBe(false)

    // The last 10 seconds show a countdown.
    await advance(2_000)
    const warning = wrapper.find('[data-testid="idle-warning"]')
    expect(warning.exists()).toBe(true)
    expect(warning.text()).toContain(messages.idle.countdown)

    await advance(10_000)
    expect(screen()).toBe('start')
    expect(kiosk.holder).toBeNull()
    expect(kiosk.serviceKey).toBeNull()
    expect(wrapper.find('[data-testid="idle-warning"]').exists()).toBe(false)
  })

  it('restarts the countdown on every touch', async () => {
    await wrapper.find('[data-testid="no-card"]').trigger('click')
    expect(screen()).toBe('menu')

    await advance(45_000)
    window.dispatchEvent(new Event('pointerdown'))
    await advance(45_000)
    expect(screen()).toBe('menu')

    await advance(16_000)
    expect(screen()).toBe('start')
  })

  it('"继续办理" in the warning keeps the session', async () => {
    await wrapper.find('[data-testid="no-card"]').trigger('click')
    await advance(55_000)
    await wrapper.find('[data-testid="idle-warning"] button').trigger('click')
    expect(wrapper.find('[data-testid="idle-warning"]').exists()).toBe(false)
    await advance(30_000)
    expect(screen()).toBe('menu')
  })

  it('does not count time on the start screen', async () => {
    await advance(120_000)
    expect(screen()).toBe('start')
    await wrapper.find('[data-testid="no-card"]').trigger('click')
    await advance(30_000)
    expect(screen()).toBe('menu')
  })
})
