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
  Files,
  Grid,
  Histogram,
  House,
  Key,
  Link,
  Monitor,
  OfficeBuilding,
  Phone,
  PieChart,
  Search,
  Setting,
  Stamp,
  Suitcase,
  Switch,
  Tickets,
  Timer,
  TrendCharts,
  User,
  UserFilled,
  Share,
  Star,
  Sort,
  Umbrella,
  Wallet,
  WarningFilled,
} from '@element-plus/icons-vue'
import { messages } from '../i18n/messages'
import type { PermissionNeed } from '../stores/session'

export interface MenuEntry {
  /** Route name (leaves) or group name. */
  name: string
  /** Path below /portal/ (leaves only). */
  path?: string
  title: string
  icon: Component
  /** Function permission needed to see and open it (a list: any of them); none for every signed-in user. */
  permission?: PermissionNeed
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

/** Permission keys of the data center (docs/api/datacenter.md). */
export const DC_PERMISSIONS = {
  dictRead: 'datacenter:dict:read',
  collectRead: 'datacenter:collect:read',
  collectRun: 'datacenter:collect:run',
  collectManage: 'datacenter:collect:manage',
  quarantineFix: 'datacenter:quarantine:fix',
  qualityRead: 'datacenter:quality:read',
  personRead: 'datacenter:person:read',
  unitRead: 'datacenter:unit:read',
  conflictResolve: 'datacenter:conflict:resolve',
  exportRequest: 'datacenter:export:request',
  exportApprove: 'datacenter:export:approve',
  unmask: 'pii:unmask',
} as const

/** The read key of each business domain (GET /datacenter/domain/{domain} checks it). */
export const DOMAIN_READ: Record<string, string> = {
  jubao: 'jubao:record:read',
  jibao: 'jibao:record:read',
  shebao: 'shebao:record:read',
  jiuye: 'jiuye:record:read',
  jiancha: 'jiancha:case:read',
  dangan: 'dangan:record:read',
  renshi: 'renshi:record:read',
}
const P = DC_PERMISSIONS

/** Permission keys of the analysis pages (docs/api/analytics.md). */
export const AN_PERMISSIONS = {
  query: 'analytics:query',
  viewManage: 'analytics:view:manage',
  refresh: 'analytics:refresh',
  screenManage: 'screen:manage',
} as const

export const menuEntries: MenuEntry[] = [
  { name: 'workbench', path: 'workbench', title: m.workbench, icon: House },
  {
    name: 'datacenter',
    title: m.datacenter,
    icon: Coin,
    children: [
      { name: 'datacenter-search', path: 'datacenter/search', title: m.datacenterSearch, icon: Search, permission: [P.personRead, P.unitRead] },
      { name: 'datacenter-domain', path: 'datacenter/domain', title: m.datacenterDomain, icon: Files, permission: Object.values(DOMAIN_READ) },
      { name: 'datacenter-jobs', path: 'datacenter/jobs', title: m.datacenterJobs, icon: Timer, permission: P.collectRead },
      { name: 'datacenter-quarantine', path: 'datacenter/quarantine', title: m.datacenterQuarantine, icon: WarningFilled, permission: P.collectRead },
      { name: 'datacenter-codemaps', path: 'datacenter/codemaps', title: m.datacenterCodeMaps, icon: Sort, permission: P.collectRead },
      { name: 'datacenter-quality', path: 'datacenter/quality', title: m.datacenterQuality, icon: TrendCharts, permission: P.qualityRead },
      { name: 'datacenter-conflicts', path: 'datacenter/conflicts', title: m.datacenterConflicts, icon: Switch, permission: P.conflictResolve },
      { name: 'datacenter-exports', path: 'datacenter/exports', title: m.datacenterExports, icon: Stamp, permission: [P.exportRequest, P.exportApprove] },
      { name: 'datacenter-dictionary', path: 'datacenter/dictionary', title: m.dictionary, icon: Tickets, permission: P.dictRead },
    ],
  },
  {
    name: 'analytics',
    title: m.analytics,
    icon: DataAnalysis,
    children: [
      { name: 'analytics-leader', path: 'analytics/leader', title: m.analyticsLeader, icon: Histogram, permission: AN_PERMISSIONS.query },
      { name: 'analytics-pivot', path: 'analytics/pivot', title: m.analyticsPivot, icon: Grid, permission: AN_PERMISSIONS.query },
      { name: 'analytics-domain', path: 'analytics/domain', title: m.analyticsDomain, icon: PieChart, permission: AN_PERMISSIONS.query },
      { name: 'analytics-views', path: 'analytics/views', title: m.analyticsViews, icon: Star, permission: [AN_PERMISSIONS.query, AN_PERMISSIONS.viewManage] },
      { name: 'analytics-screen', path: 'analytics/screen', title: m.analyticsScreen, icon: Monitor, permission: AN_PERMISSIONS.screenManage },
    ],
  },
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
  {
    name: 'datacenter-detail',
    title: m.datacenter,
    icon: Coin,
    children: [
      { name: 'datacenter-person360', path: 'datacenter/person/:id', title: m.datacenterPerson360, icon: User, permission: P.personRead },
      { name: 'datacenter-unit360', path: 'datacenter/unit/:id', title: m.datacenterUnit360, icon: OfficeBuilding, permission: P.unitRead },
    ],
  },
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
  { path: 'datacenter/person', to: 'datacenter-search' },
]

/** The menu as a user holding `can` sees it: entries without the permission and empty groups are dropped. */
export function visibleMenu(entries: readonly MenuEntry[], can: (permission?: PermissionNeed) => boolean): MenuEntry[] {
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
