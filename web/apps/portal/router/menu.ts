// The portal's left menu. Each entry is also a route under the layout; a
// module issue replaces its placeholder view with the real pages.
import type { Component } from 'vue'
import {
  Bell,
  ChatDotRound,
  Connection,
  DataAnalysis,
  Document,
  House,
  Monitor,
  Phone,
  Search,
  Setting,
  Suitcase,
  Coin,
} from '@element-plus/icons-vue'
import { messages } from '../i18n/messages'

export interface MenuEntry {
  /** Route name and path segment. */
  name: string
  title: string
  icon: Component
  /** Function permission needed to see and open it; none for every signed-in user. */
  permission?: string
}

const m = messages.menu

export const menuEntries: MenuEntry[] = [
  { name: 'workbench', title: m.workbench, icon: House },
  { name: 'datacenter', title: m.datacenter, icon: Coin, permission: 'datacenter:view' },
  { name: 'analytics', title: m.analytics, icon: DataAnalysis, permission: 'analytics:view' },
  { name: 'acceptance', title: m.acceptance, icon: Document, permission: 'acceptance:view' },
  { name: 'inspection', title: m.inspection, icon: Search, permission: 'inspection:view' },
  { name: 'gig', title: m.gig, icon: Suitcase, permission: 'gig:view' },
  { name: 'callcenter', title: m.callcenter, icon: Phone, permission: 'callcenter:view' },
  { name: 'evaluation', title: m.evaluation, icon: ChatDotRound, permission: 'evaluation:view' },
  { name: 'office', title: m.office, icon: Bell, permission: 'office:view' },
  { name: 'command', title: m.command, icon: Monitor, permission: 'command:view' },
  { name: 'gateway', title: m.gateway, icon: Connection, permission: 'gateway:view' },
  { name: 'system', title: m.system, icon: Setting, permission: 'system:view' },
]
