// What the kiosk knows about the person in front of it. Everything here is
// dropped by resetKiosk() when the user leaves (idle timeout or "返回首页").
import { reactive } from 'vue'

export type KioskScreen = 'start' | 'menu' | 'service'

export interface CardHolder {
  /** Masked by the device agent / server, e.g. "张*". */
  name: string
  /** Masked ID number, e.g. "5130**********1234". */
  idMasked: string
}

export interface KioskState {
  screen: KioskScreen
  holder: CardHolder | null
  serviceKey: string | null
}

export const kiosk = reactive<KioskState>({ screen: 'start', holder: null, serviceKey: null })

export function resetKiosk(): void {
  kiosk.holder = null
  kiosk.serviceKey = null
  kiosk.screen = 'start'
}

/**
 * Called when a card was read. The kiosk device agent (PC/SC reader) will
 * deliver this as a `hrss-kiosk-card` window event with a CardHolder detail.
 */
export function presentCard(holder: CardHolder): void {
  kiosk.holder = holder
  kiosk.serviceKey = null
  kiosk.screen = 'menu'
}

export const CARD_EVENT = 'hrss-kiosk-card'
