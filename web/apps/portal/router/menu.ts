// The portal's left menu. Each leaf is also a route under the layout (see
// router/index.ts); a module issue replaces its placeholder view with the real
// pages. An entry with `permission` is shown, and its route opened, only for a
// user holding that key (SessionUser.permissions, "*" for all); a group is
// shown when at least one of its children is. Keys are those of the server's
// permission catalog (GET /api/v1/permissions); modules without catalog keys
// yet keep a placeholder key.
import type { Component } from 'vue'
import {
  Bell,
  Briefcase,
  ChatDotRound,
  Coin,
  Connection,
  DataAnalysis,
  Document,
  House,
  Key,
  Link,
  Monitor,
  OfficeBuilding,
  Phone,
  Search,
  Setting,
  Suitcase,
  Tickets,
  User,
  UserFilled,
  Share,
  Umbrella,
  Wallet,
} from '@element-plus/icons-vue'
import { messages } from '../i18n/messages'

export interface MenuEntry {
  /** Route name (leaves) or group name. */
  name: string
  /** Path below /portal/ (leaves only). */
  path?: string
  title: string
  icon: Component
  /** Function permission needed to see and open it; none for every signed-in user. */
  permission?: string
  children?: MenuEntry[]
}

const m = messages.menu

/** Permission keys of the identity pages (docs/api/identity.md). */
export const PERMISSIONS = {
  orgRead: 'system:org:read',
  orgWrite: 'system:org:write',
  userRead: 'system:user:read',
  userWrite: 'system:user:write',
  roleRead: 'security:role:read',
  roleWrite: 'security:role:write',
  roleGrant: 'security:role:grant',
  sessionRead: 'security:session:read',
  sessionKick: 'security:session:kick',
  auditRead: 'audit:log:read',
  appRead: 'system:app:read',
  appWrite: 'system:app:write',
} as const

export const menuEntries: MenuEntry[] = [
  { name: 'workbench', path: 'workbench', title: m.workbench, icon: House },
  {
    name: 'datacenter',
    title: m.datacenter,
    icon: Coin,
    children: [
      { name: 'datacenter-person', path: 'datacenter/person', title: m.datacenterPerson, icon: Search, permission: 'datacenter:person:read' },
      { name: 'datacenter-dictionary', path: 'datacenter/dictionary', title: m.dictionary, icon: Tickets, permission: 'datacenter:dict:read' },
    ],
  },
  { name: 'analytics', path: 'analytics', title: m.analytics, icon: DataAnalysis, permission: 'analytics:dashboard:read' },
  { name: 'acceptance', path: 'acceptance', title: m.acceptance, icon: Document, permission: 'acceptance:view' },
  { name: 'inspection', path: 'inspection', title: m.inspection, icon: Search, permission: 'jiancha:case:read' },
  { name: 'gig', path: 'gig', title: m.gig, icon: Suitcase, permission: 'gig:view' },
  { name: 'callcenter', path: 'callcenter', title: m.callcenter, icon: Phone, permission: 'callcenter:view' },
  { name: 'evaluation', path: 'evaluation', title: m.evaluation, icon: ChatDotRound, permission: 'evaluation:view' },
  { name: 'office', path: 'office', title: m.office, icon: Bell, permission: 'workflow:task:read' },
  { name: 'command', path: 'command', title: m.command, icon: Monitor, permission: 'command:view' },
  { name: 'gateway', path: 'gateway', title: m.gateway, icon: Connection, permission: 'gateway:view' },
  {
    name: 'system',
    title: m.system,
    icon: Setting,
    children: [
      { name: 'system-org', path: 'system/org', title: m.org, icon: OfficeBuilding, permission: PERMISSIONS.orgRead },
      { name: 'system-user', path: 'system/user', title: m.user, icon: User, permission: PERMISSIONS.userRead },
      { name: 'system-role', path: 'system/role', title: m.role, icon: UserFilled, permission: PERMISSIONS.roleRead },
      { name: 'system-delegation', path: 'system/delegation', title: m.delegation, icon: Share },
      { name: 'system-online', path: 'system/online', title: m.online, icon: Monitor, permission: PERMISSIONS.sessionRead },
      { name: 'system-audit', path: 'system/audit', title: m.audit, icon: Tickets, permission: PERMISSIONS.auditRead },
      { name: 'system-apps', path: 'system/apps', title: m.apps, icon: Link, permission: PERMISSIONS.appRead },
    ],
  },
]

/**
 * Pages under the layout that are not in the menu: 个人中心, and the business
 * systems the application catalog (GET /api/v1/me/apps) links to before their
 * modules exist (placeholders).
 */
export const hiddenEntries: MenuEntry[] = [
  { name: 'profile', path: 'profile', title: m.profile, icon: Key },
  { name: 'jubao', path: 'jubao', title: m.jubao, icon: Wallet, permission: 'jubao:record:read' },
  { name: 'shebao', path: 'shebao', title: m.shebao, icon: Umbrella, permission: 'shebao:record:read' },
  { name: 'jiuye', path: 'jiuye', title: m.jiuye, icon: Briefcase, permission: 'jiuye:record:read' },
]

/** Other paths that name the identity pages (the server's application catalog uses some of them). */
export const routeAliases: { path: string; to: string }[] = [
  { path: 'system/users', to: 'system-user' },
  { path: 'system/orgs', to: 'system-org' },
  { path: 'system/roles', to: 'system-role' },
  { path: 'security', to: 'system-role' },
  { path: 'security/roles', to: 'system-role' },
  { path: 'security/sessions', to: 'system-online' },
  { path: 'audit', to: 'system-audit' },
  { path: 'jiancha', to: 'inspection' },
]

/** The menu as a user holding `can` sees it: entries without the permission and empty groups are dropped. */
export function visibleMenu(entries: readonly MenuEntry[], can: (permission?: string) => boolean): MenuEntry[] {
  const out: MenuEntry[] = []
  for (const entry of entries) {
    if (!can(entry.permission)) continue
    if (entry.children) {
      const children = visibleMenu(entry.children, can)
      if (children.length) out.push({ ...entry, children })
    } else {
      out.push(entry)
    }
  }
  return out
}

/** Every leaf (routable) entry, with its group. */
export function menuLeaves(entries: readonly MenuEntry[] = menuEntries, parent?: MenuEntry): { entry: MenuEntry; parent?: MenuEntry }[] {
  return entries.flatMap((entry) =>
    entry.children ? menuLeaves(entry.children, entry) : [{ entry, parent }],
  )
}
