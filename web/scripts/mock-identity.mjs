// In-memory stand-in for the identity API of docs/api/identity.md, used by
// scripts/serve-dist.mjs --mock-api for clicking through the portal, the
// screenshots and the e2e tests without the C++ server. Not a reference
// implementation: enough rules to exercise every page (CSRF, permissions,
// escalation, re-authentication, lockout, pagination), nothing more.
//
// Shapes follow the server (src/modules/identity): numeric ids, user `status`,
// effective scopes in SessionUser, delegations with user ids only.
//
// Accounts (password "demo" unless noted; TOTP accounts also accept 123456):
//   demo        every permission ("*"), no TOTP                         (mock superuser)
//   totp        ordinary staff with TOTP
//   admin       系统管理员 (system), TOTP
//   secadmin    安全管理员 (security), TOTP secret MOCK_TOTP_SECRET below
//   auditor     审计员 (auditor), TOTP
//   leader      局领导, reads every domain county-wide
//   clerk_zhuyang  竹阳街道 counter clerk, own township only
//   head_shebao, inspector, clerk_baita ... more staff
//   expired     password older than 90 days → 403 PASSWORD_EXPIRED + changeToken
//   newadmin    administrator without TOTP → 403 TOTP_ENROLMENT_REQUIRED + enrolmentToken
//   locked      423 ACCOUNT_LOCKED;  disabled  403 ACCOUNT_DISABLED
// Sensitive calls (PUT /users/{id}/roles, reset-password, role writes, DELETE /me/totp)
// answer 401 REAUTH_REQUIRED unless POST /auth/reauth succeeded in the last 5 minutes.
import { createHash, randomBytes } from 'node:crypto'
import { base32Encode, verifyTotp } from './totp.mjs'

export const MOCK_TOTP_SECRET = 'JBSWY3DPEHPK3PXP'
const DEMO_CODE = '123456'
const REAUTH_MS = 5 * 60 * 1000
const DAY = 24 * 3600 * 1000
const HOUR = 3600 * 1000

// ---- organisation tree (codes here; numeric ids like the server's) ---------------
const ORGS = [
  ['o-bureau', null, '大竹县人力资源和社会保障局', 'bureau', '511724', 1],
  ['o-office', 'o-bureau', '办公室', 'department', '511724', 1],
  ['o-policy', 'o-bureau', '政策法规股', 'department', '511724', 2],
  ['o-employ-dept', 'o-bureau', '就业促进和职业能力建设股', 'department', '511724', 3],
  ['o-pension-dept', 'o-bureau', '养老保险股', 'department', '511724', 4],
  ['o-labour-dept', 'o-bureau', '劳动关系股', 'department', '511724', 5],
  ['o-info', 'o-bureau', '信息中心', 'department', '511724', 6],
  ['o-jobs', 'o-bureau', '大竹县就业服务中心', 'unit', '511724', 7],
  ['o-sicenter', 'o-bureau', '大竹县社会保险事业管理局', 'unit', '511724', 8],
  ['o-inspect', 'o-bureau', '大竹县劳动保障监察大队', 'unit', '511724', 9],
  ['o-arbitration', 'o-bureau', '大竹县劳动人事争议仲裁院', 'unit', '511724', 10],
  ['o-stations', 'o-bureau', '乡镇（街道）劳动保障服务站', 'unit', '511724', 11],
  ...[
    ['zhuyang', '竹阳街道', '001'],
    ['dongliu', '东柳街道', '002'],
    ['baita', '白塔街道', '003'],
    ['guanyin', '观音镇', '100'],
    ['miaoba', '庙坝镇', '101'],
    ['shihe', '石河镇', '102'],
    ['zhoujia', '周家镇', '103'],
    ['yangjia', '杨家镇', '104'],
    ['qinghe', '清河镇', '105'],
    ['yuehua', '月华镇', '106'],
    ['gaoxue', '高穴镇', '107'],
    ['tongluo', '铜锣乡', '200'],
  ].map(([id, name, code], i) => [`o-st-${id}`, 'o-stations', `${name}劳动保障服务站`, 'station', `511724${code}000`, i + 1]),
]

// ---- permission catalog (as src/modules/identity/catalog.cc registers it) ----------
const ENTRIES = [
  ['self', '个人中心', 'menu', ''], ['self:profile', '个人信息与会话', 'api', 'self'], ['self:password', '修改密码', 'api', 'self'],
  ['self:totp', '动态口令（TOTP）', 'api', 'self'], ['self:cert', '证书登录', 'api', 'self'], ['self:delegation', '权限转授', 'api', 'self'],
  ['self:apps', '应用目录（单点登录）', 'api', 'self'],
  ['system', '系统管理', 'menu', ''], ['system:org:read', '机构与岗位查看', 'api', 'system'], ['system:org:write', '机构与岗位维护', 'button', 'system'],
  ['system:user:read', '用户查看', 'api', 'system'], ['system:user:write', '用户维护（新增、停用、解锁、重置密码）', 'button', 'system'],
  ['system:app:read', '单点登录应用查看', 'api', 'system'], ['system:app:write', '单点登录应用登记与停用', 'button', 'system'],
  ['security', '安全管理', 'menu', ''], ['security:role:read', '角色与权限查看', 'api', 'security'],
  ['security:role:write', '角色维护（权限、数据范围）', 'button', 'security'], ['security:role:grant', '为用户授予角色', 'button', 'security'],
  ['security:session:read', '在线用户', 'api', 'security'], ['security:session:kick', '强制下线', 'button', 'security'],
  ['audit', '安全审计', 'menu', ''], ['audit:log:read', '审计日志查询与校验', 'api', 'audit'],
  ['pii', '个人信息保护', 'menu', ''], ['pii:unmask', '查看脱敏字段原文', 'button', 'pii'],
  ['datacenter', '数据中心', 'menu', ''], ['datacenter:person:read', '人员信息查询（一门式查询、人员 360°）', 'api', 'datacenter'],
  ['datacenter:unit:read', '单位信息查询（单位 360°）', 'api', 'datacenter'], ['datacenter:dict:read', '数据字典查看与导出', 'api', 'datacenter'],
  ['datacenter:collect:read', '采集任务与批次查看', 'api', 'datacenter'], ['datacenter:collect:run', '立即执行采集任务', 'button', 'datacenter'],
  ['datacenter:collect:manage', '采集任务配置、代码映射维护', 'button', 'datacenter'], ['datacenter:quarantine:fix', '问题数据修正与重新处理', 'button', 'datacenter'],
  ['datacenter:quality:read', '数据质量查看', 'api', 'datacenter'], ['datacenter:conflict:resolve', '人员信息冲突处理', 'button', 'datacenter'],
  ['datacenter:export:request', '申请批量导出', 'button', 'datacenter'], ['datacenter:export:approve', '审批批量导出', 'button', 'datacenter'],
  ['analytics', '分析决策与指挥中心', 'menu', ''], ['analytics:dashboard:read', '指挥中心大屏', 'api', 'analytics'],
  ['analytics:query', '数据分析查询（多维分析、专题视图、导出）', 'api', 'analytics'], ['analytics:view:manage', '分析视图保存、共享与固定', 'button', 'analytics'],
  ['jubao', '城乡居民养老保险', 'menu', ''], ['jubao:record:read', '居保业务查询', 'api', 'jubao'], ['jubao:record:write', '居保业务经办', 'button', 'jubao'],
  ['shebao', '社会保险', 'menu', ''], ['shebao:record:read', '社保业务查询', 'api', 'shebao'], ['shebao:record:write', '社保业务经办', 'button', 'shebao'],
  ['jibao', '机关事业单位养老保险', 'menu', ''], ['jibao:record:read', '机保业务查询', 'api', 'jibao'],
  ['jiuye', '就业创业', 'menu', ''], ['jiuye:record:read', '就业业务查询', 'api', 'jiuye'], ['jiuye:record:write', '就业业务经办', 'button', 'jiuye'],
  ['jiancha', '劳动保障监察', 'menu', ''], ['jiancha:case:read', '监察案件查询', 'api', 'jiancha'], ['jiancha:case:write', '监察案件办理', 'button', 'jiancha'],
  ['dangan', '档案管理', 'menu', ''], ['dangan:record:read', '档案查询', 'api', 'dangan'],
  ['renshi', '人事人才', 'menu', ''], ['renshi:record:read', '人事业务查询', 'api', 'renshi'],
  ['workflow', '协同办公', 'menu', ''], ['workflow:task:read', '待办事项', 'api', 'workflow'],
]
const CATALOG = ENTRIES.filter((e) => !e[3]).map(([key, name, kind]) => ({
  key, name, kind,
  children: ENTRIES.filter((c) => c[3] === key).map(([k, n, kd]) => ({ key: k, name: n, kind: kd, children: [] })),
}))
const BUSINESS_READ = ['datacenter:person:read', 'analytics:dashboard:read', 'analytics:query', 'analytics:view:manage', 'jubao:record:read', 'shebao:record:read', 'jibao:record:read',
  'jiuye:record:read', 'jiancha:case:read', 'dangan:record:read', 'renshi:record:read', 'workflow:task:read']

const DOMAINS = [
  ['jubao', '居保'],
  ['shebao', '社保'],
  ['jibao', '机保'],
  ['jiuye', '就业'],
  ['jiancha', '劳动监察'],
  ['dangan', '档案'],
  ['renshi', '人事'],
  ['system', '账号与机构'],
].map(([domain, name]) => ({ domain, name }))
const everyDomain = (kind, orgIds = []) => DOMAINS.map((d) => ({ domain: d.domain, kind, orgIds }))
/** Numeric ids for the org codes above, as the server's ids are numbers. */
const ORG_ID = Object.fromEntries(ORGS.map(([code], i) => [code, 100 + i]))
const O = (code) => ORG_ID[code]

const POSTS = [
  ['p-director', '局长'],
  ['p-deputy', '副局长'],
  ['p-head', '股长（主任）'],
  ['p-staff', '科员'],
  ['p-counter', '窗口经办员'],
  ['p-reviewer', '业务审核员'],
  ['p-inspector', '监察员'],
  ['p-it', '信息系统管理员'],
].map(([code, name], i) => ({ id: 11 + i, code, name }))
const P = (code) => POSTS.find((p) => p.code === code).id

// ---- state -------------------------------------------------------------------------
function initialState() {
  const now = Date.now()
  let roleSeq = 1
  const role = (code, name, description, adminRole, permissions, scopes) =>
    ({ id: roleSeq++, code, name, description, adminRole, permissions, scopes })
  const roles = [
    role('sys_admin', '系统管理员', '账号、机构与系统设置（三员之一）', 'system',
      ['system:org:read', 'system:org:write', 'system:user:read', 'system:user:write', 'system:app:read', 'system:app:write',
        'datacenter:dict:read', 'datacenter:collect:read', 'datacenter:collect:run', 'datacenter:collect:manage',
        'datacenter:quarantine:fix', 'datacenter:quality:read'],
      [{ domain: 'system', kind: 'all', orgIds: [] }]),
    role('sec_admin', '安全管理员', '角色、权限、数据范围与在线用户（三员之一）', 'security',
      ['security:role:read', 'security:role:write', 'security:role:grant', 'security:session:read', 'security:session:kick',
        'system:org:read', 'system:user:read'],
      everyDomain('all')),
    role('auditor', '审计员', '只读审计日志（三员之一）', 'auditor', ['audit:log:read'], []),
    role('leader', '局领导', '全县各业务域只读', null, [...BUSINESS_READ, 'system:org:read', 'system:user:read',
      'datacenter:unit:read', 'datacenter:dict:read', 'datacenter:collect:read', 'datacenter:quality:read', 'datacenter:export:approve'], everyDomain('all')),
    role('shebao_head', '社会保险股负责人', '全县社保业务，可查看原文（须理由）', null,
      ['shebao:record:read', 'shebao:record:write', 'jubao:record:read', 'jibao:record:read', 'datacenter:person:read',
        'system:user:read', 'pii:unmask', 'workflow:task:read', 'datacenter:unit:read', 'datacenter:dict:read', 'datacenter:collect:read',
        'datacenter:quarantine:fix', 'datacenter:quality:read', 'datacenter:conflict:resolve', 'datacenter:export:request'],
      [{ domain: 'shebao', kind: 'all', orgIds: [] }, { domain: 'jubao', kind: 'all', orgIds: [] }, { domain: 'jibao', kind: 'all', orgIds: [] },
        { domain: 'system', kind: 'org_subtree', orgIds: [O('o-pension-dept'), O('o-sicenter')] }]),
    role('counter_clerk', '乡镇窗口经办员', '本乡镇（街道）居保、社保、就业经办', null,
      ['jubao:record:read', 'jubao:record:write', 'shebao:record:read', 'shebao:record:write', 'jiuye:record:read',
        'jiuye:record:write', 'system:user:read', 'workflow:task:read', 'datacenter:person:read', 'datacenter:unit:read', 'datacenter:export:request',
        'analytics:query'],
      [{ domain: 'jubao', kind: 'own_org', orgIds: [] }, { domain: 'shebao', kind: 'own_org', orgIds: [] },
        { domain: 'jiuye', kind: 'own_org', orgIds: [] }, { domain: 'system', kind: 'own_org', orgIds: [] }]),
    role('inspector', '劳动保障监察员', '片区监察案件；本单位人员', null,
      ['jiancha:case:read', 'jiancha:case:write', 'system:user:read', 'workflow:task:read', 'datacenter:unit:read'],
      [{ domain: 'jiancha', kind: 'list', orgIds: [O('o-st-zhuyang'), O('o-st-dongliu'), O('o-st-baita')] }, { domain: 'system', kind: 'own_org', orgIds: [] }]),
    role('staff', '普通工作人员', '协同办公与个人工作台', null, ['workflow:task:read'], [{ domain: 'renshi', kind: 'self', orgIds: [] }]),
  ]
  const R = (code) => roles.find((r) => r.code === code).id
  let userSeq = 1001
  const u = (username, displayName, org, roleCodes, extra = {}) => ({
    id: userSeq++, username, displayName, orgId: O(org), roleIds: roleCodes.map(R), postIds: [], password: 'demo', staffNo: '', phone: '',
    status: 'active', lockedUntil: 0, totpSecret: null, createdAt: now - 200 * DAY, lastLoginAt: now - ((userSeq * 7919) % 5) * DAY, ...extra,
  })
  let staffNo = 1000
  const phones = ['13881234567', '13990012345', '18708187766', '15182839901', '13547801234', '18982345678']
  const users = [
    u('demo', '张三（演示）', 'o-sicenter', ['leader'], { superuser: true, postIds: [P('p-staff')] }),
    u('totp', '李四（演示）', 'o-sicenter', ['staff'], { totpSecret: MOCK_TOTP_SECRET }),
    u('admin', '王建国', 'o-info', ['sys_admin'], { totpSecret: MOCK_TOTP_SECRET, postIds: [P('p-it')] }),
    u('secadmin', '刘安平', 'o-info', ['sec_admin'], { totpSecret: MOCK_TOTP_SECRET, postIds: [P('p-it')] }),
    u('auditor', '陈审言', 'o-office', ['auditor'], { totpSecret: MOCK_TOTP_SECRET, postIds: [P('p-staff')] }),
    u('leader', '赵德明', 'o-bureau', ['leader'], { postIds: [P('p-director')] }),
    u('clerk_zhuyang', '周小燕', 'o-st-zhuyang', ['counter_clerk'], { postIds: [P('p-counter')] }),
    u('head_shebao', '吴国强', 'o-pension-dept', ['shebao_head'], { postIds: [P('p-head')] }),
    u('inspector', '李振华', 'o-inspect', ['inspector'], { postIds: [P('p-inspector')] }),
    u('clerk_dongliu', '郑丽', 'o-st-dongliu', ['counter_clerk'], { postIds: [P('p-counter')] }),
    u('clerk_baita', '何静', 'o-st-baita', ['counter_clerk'], { postIds: [P('p-counter')] }),
    u('clerk_guanyin', '邓海燕', 'o-st-guanyin', ['counter_clerk'], { postIds: [P('p-counter')] }),
    u('clerk_miaoba', '唐伟', 'o-st-miaoba', ['counter_clerk'], { postIds: [P('p-counter')], lockedUntil: now + 10 * 60 * 1000 }),
    u('clerk_shihe', '蒋春梅', 'o-st-shihe', ['counter_clerk'], { postIds: [P('p-counter')] }),
    u('jobs_wang', '王晓东', 'o-jobs', ['staff'], { postIds: [P('p-staff')] }),
    u('jobs_luo', '罗雪', 'o-jobs', ['staff'], { postIds: [P('p-reviewer')] }),
    u('si_huang', '黄明', 'o-sicenter', ['staff'], { postIds: [P('p-reviewer')] }),
    u('si_yang', '杨帆', 'o-sicenter', ['staff'], { postIds: [P('p-staff')], status: 'disabled' }),
    u('arb_xu', '徐立新', 'o-arbitration', ['staff'], { postIds: [P('p-staff')] }),
    u('policy_sun', '孙文', 'o-policy', ['staff'], { postIds: [P('p-staff')] }),
    u('office_ma', '马丽', 'o-office', ['staff'], { postIds: [P('p-staff')] }),
    u('labour_hu', '胡军', 'o-labour-dept', ['staff'], { postIds: [P('p-head')] }),
    u('expired', '过期用户（演示）', 'o-office', ['staff'], { passwordExpired: true }),
    u('newadmin', '新任管理员（演示）', 'o-info', ['sys_admin'], { mustEnrolTotp: true }),
    u('locked', '锁定用户（演示）', 'o-office', ['staff'], { lockedUntil: now + 15 * 60 * 1000 }),
    u('disabled', '停用用户（演示）', 'o-office', ['staff'], { status: 'disabled' }),
  ]
  users.forEach((x, i) => {
    x.staffNo = `DZ${staffNo++}`
    x.phone = phones[i % phones.length]
  })
  const U = (username) => users.find((x) => x.username === username).id
  const delegations = [
    { id: 5001, fromUserId: U('demo'), toUserId: U('head_shebao'), permissions: ['datacenter:person:read', 'analytics:dashboard:read'],
      scopes: [{ domain: 'shebao', kind: 'list', orgIds: [O('o-sicenter')] }], startsAt: now - 2 * DAY, endsAt: now + 5 * DAY,
      reason: '本人参加省厅培训期间，由吴国强代为审核社保待遇数据', createdAt: now - 2 * DAY, revokedAt: null },
    { id: 5002, fromUserId: U('demo'), toUserId: U('si_huang'), permissions: ['analytics:dashboard:read'], scopes: [],
      startsAt: now - 40 * DAY, endsAt: now - 30 * DAY, reason: '年度统计报表编制期间临时授权', createdAt: now - 40 * DAY, revokedAt: null },
    { id: 5003, fromUserId: U('leader'), toUserId: U('demo'), permissions: ['workflow:task:read'], scopes: [],
      startsAt: now - DAY, endsAt: now + 2 * DAY, reason: '局领导外出期间代为处理待办事项', createdAt: now - DAY, revokedAt: null },
  ]
  // GET /me/apps: the portal's own subsystems, shown when the user holds a key of the prefix (as the server does).
  const apps = [
    ['datacenter', '数据中心', '/portal/datacenter', 'DataAnalysis', '人员与业务数据汇聚、查询', 'datacenter'],
    ['analytics', '指挥中心', '/screen/', 'Monitor', '分析决策与指挥中心大屏', 'analytics'],
    ['jubao', '城乡居民养老保险', '/portal/jubao', 'Wallet', '居保参保、缴费与待遇', 'jubao'],
    ['shebao', '社会保险', '/portal/shebao', 'Umbrella', '企业职工社保经办', 'shebao'],
    ['jiuye', '就业创业', '/portal/jiuye', 'Briefcase', '就业登记、招聘与补贴', 'jiuye'],
    ['jiancha', '劳动保障监察', '/portal/jiancha', 'Warning', '投诉举报与案件办理', 'jiancha'],
    ['system', '系统管理', '/portal/system/users', 'Setting', '机构、用户与岗位', 'system'],
    ['security', '安全管理', '/portal/security/roles', 'Lock', '角色、权限与在线用户', 'security'],
    ['audit', '安全审计', '/portal/audit', 'Document', '审计日志查询与校验', 'audit'],
  ].map(([id, name, url, icon, description, prefix]) => ({ id, name, url, icon, description, prefix }))
  // /sso/apps: registered OIDC clients (level-2 systems).
  const ssoClients = [
    { clientId: 'jubao', name: '城乡居民养老保险业务系统', confidential: false, redirectUris: ['https://jubao.example.gov.cn/callback'],
      postLogoutRedirectUris: ['https://jubao.example.gov.cn/'], appUrl: 'https://jubao.example.gov.cn/', description: '居保参保登记、缴费核定与待遇发放',
      requiredPermission: 'jubao:record:read', enabled: true, createdAt: now - 20 * DAY },
    { clientId: 'shebao', name: '社会保险业务系统（金保工程）', confidential: true, redirectUris: ['https://shebao.example.gov.cn/oidc/callback'],
      postLogoutRedirectUris: [], appUrl: 'https://shebao.example.gov.cn/', description: '企业职工养老、失业、工伤保险经办',
      requiredPermission: 'shebao:record:read', enabled: true, createdAt: now - 20 * DAY },
    { clientId: 'dangan', name: '电子档案系统', confidential: false, redirectUris: ['https://dangan.example.gov.cn/callback'],
      postLogoutRedirectUris: [], appUrl: 'https://dangan.example.gov.cn/', description: '人事与业务档案数字化管理',
      requiredPermission: '', enabled: false, createdAt: now - 60 * DAY },
  ]
  const certificates = new Map([
    [U('demo'), [{ id: 7001, name: '办公室 UKey', algorithm: 'SM2', fingerprint: 'SM3:7f3a 91c2 0b4e 55d1 e8a0 3c77 12fe 9b64', createdAt: now - 30 * DAY }]],
  ])
  const orgs = ORGS.map(([code, parent, name, kind, divisionCode, sort]) => ({ id: O(code), parentId: parent ? O(parent) : null, name, kind, divisionCode, sort }))
  return { roles, users, delegations, apps, ssoClients, certificates, orgs }
}

// ---- helpers -------------------------------------------------------------------
const requestId = () => randomBytes(6).toString('hex')
const maskPhone = (p) => (p && p.length === 11 ? `${p.slice(0, 3)}****${p.slice(7)}` : p)
const UAS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 6.1; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0',
  'Mozilla/5.0 (Linux; Android 13; V2227A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0 Mobile Safari/537.36 MicroMessenger/8.0.44',
]

/** A QR-looking (not scannable) SVG: finder patterns plus modules derived from the secret. */
function fakeQrSvg(secret) {
  const n = 29
  const bits = createHash('sha256').update(secret).digest()
  const cells = []
  const finder = (x, y) => (x < 7 && y < 7) || (x >= n - 7 && y < 7) || (x < 7 && y >= n - 7)
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      let on
      if (finder(x, y)) {
        const fx = x < 7 ? x : x - (n - 7)
        const fy = y < 7 ? y : y - (n - 7)
        on = fx === 0 || fx === 6 || fy === 0 || fy === 6 || (fx >= 2 && fx <= 4 && fy >= 2 && fy <= 4)
      } else if ((x === 7 || y === 7 || x === n - 8 || y === n - 8) && (finder(x - 1, y) || finder(x, y - 1) || finder(x + 1, y) || finder(x, y + 1))) {
        on = false
      } else if (y === 6 || x === 6) {
        on = (x + y) % 2 === 0
      } else {
        const i = (y * n + x) * 7
        on = ((bits[(i >> 3) % bits.length] >> (i & 7)) ^ (x * y)) & 1
      }
      if (on) cells.push(`M${x + 2} ${y + 2}h1v1h-1z`)
    }
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${n + 4} ${n + 4}" shape-rendering="crispEdges"><rect width="100%" height="100%" fill="#fff"/><path d="${cells.join('')}" fill="#000"/></svg>`
}

/**
 * `extensions`: more mock APIs (e.g. scripts/mock-datacenter.mjs) asked, after
 * the session and CSRF checks, for every path the identity mock does not know;
 * a handler returns true when it answered.
 */
export function createMockIdentity({ extensions = [] } = {}) {
  let state = initialState()
  const sessions = new Map() // token → {id, userId, createdAt, lastSeenAt, ip, userAgent, reauthAt}
  const failures = new Map()
  const changeTokens = new Map()
  const enrolTokens = new Map()
  const pendingTotp = new Map()
  const audit = []
  let seq = 9000

  // Path segments are strings, ids numbers: compare as strings.
  const same = (a, b) => a !== undefined && a !== null && String(a) === String(b)
  const orgById = (id) => state.orgs.find((o) => same(o.id, id))
  const userById = (id) => state.users.find((x) => same(x.id, id))
  const roleById = (id) => state.roles.find((r) => same(r.id, id))
  const nextId = () => ++seq
  const subtree = (id) => {
    const out = [id]
    for (const o of state.orgs) if (o.parentId === id) out.push(...subtree(o.id))
    return out
  }

  function log(user, action, result, objectType, objectId, detail, ip = '10.51.24.16', delegationId = null, at = Date.now()) {
    audit.push({ id: audit.length + 1, at, userId: user?.id ?? '', username: user?.username ?? '', ip, action, objectType, objectId, result, detail, delegationId })
  }

  // Seeded history and other users' sessions for the online list.
  function seed() {
    const now = Date.now()
    const actions = [
      ['admin', 'auth.login', 'success', 'session', '', '密码 + 动态验证码'],
      ['admin', 'user.create', 'success', 'user', '1014', '{"username":"clerk_shihe","orgId":118}'],
      ['secadmin', 'auth.login', 'success', 'session', '', '密码 + 动态验证码'],
      ['secadmin', 'role.update', 'success', 'role', '6', '{"permissions":"+jiuye:record:write"}'],
      ['secadmin', 'user.roles.set', 'success', 'user', '1007', '{"roleIds":[6]}'],
      ['clerk_miaoba', 'auth.login', 'failure', 'session', '', '密码错误（第 5 次），账号锁定 15 分钟'],
      ['clerk_zhuyang', 'auth.login', 'success', 'session', '', '密码'],
      ['clerk_zhuyang', 'person.id_number', 'failure', 'person', '5117241965****1234', '不在数据范围内（东柳街道）'],
      ['head_shebao', 'delegation.use', 'success', 'person', '5117241958****0021', '{"permission":"datacenter:person:read"}'],
      ['leader', 'pii.unmask', 'success', 'person', '5117241972****4410', '{"field":"idNumber","reason":"待遇核查"}'],
      ['demo', 'delegation.create', 'success', 'delegation', '5001', '{"toUserId":1008,"permissions":["datacenter:person:read"]}'],
      ['auditor', 'audit.verify', 'success', 'audit', '', '哈希链完整'],
      ['admin', 'org.update', 'success', 'org', '123', '{"divisionCode":"511724200000"}'],
      ['admin', 'user.disable', 'success', 'user', '1018', '离职停用'],
      ['jobs_wang', 'auth.login', 'success', 'session', '', '密码'],
    ]
    const ips = ['10.51.24.16', '10.51.24.33', '10.51.30.8', '172.16.8.21', '10.51.24.102']
    for (let i = 0; i < 64; i++) {
      const [username, action, result, objectType, objectId, detail] = actions[i % actions.length]
      const user = state.users.find((x) => x.username === username)
      log(user, action, result, objectType, objectId, detail, ips[i % ips.length], action === 'delegation.use' ? 5001 : null, now - (64 - i) * 47 * 60 * 1000)
    }
    const others = ['admin', 'leader', 'clerk_zhuyang', 'clerk_dongliu', 'head_shebao', 'jobs_wang', 'inspector', 'si_huang']
    others.forEach((username, i) => {
      const user = state.users.find((x) => x.username === username)
      sessions.set(randomBytes(16).toString('hex'), {
        id: `s-${randomBytes(4).toString('hex')}`, userId: user.id, createdAt: now - (i + 1) * 37 * 60 * 1000,
        lastSeenAt: now - i * 3 * 60 * 1000, ip: `10.51.${24 + (i % 3)}.${20 + i * 7}`, userAgent: UAS[i % UAS.length], reauthAt: 0,
      })
    })
    const demo = state.users.find((x) => x.username === 'demo')
    sessions.set(randomBytes(16).toString('hex'), {
      id: 's-demo-phone', userId: demo.id, createdAt: now - 5 * HOUR, lastSeenAt: now - 2 * HOUR, ip: '10.51.30.8', userAgent: UAS[3], reauthAt: 0,
    })
  }
  seed()

  // ---- the signed-in user as SessionUser ----
  function activeDelegationsTo(userId, now = Date.now()) {
    return state.delegations.filter((d) => d.toUserId === userId && !d.revokedAt && d.startsAt <= now && now < d.endsAt)
  }
  /**
   * Own (not delegated) rights. Scopes as the server reports them: effective per
   * domain, union across roles: "all", "list" (org_subtree and own_org resolved
   * to org ids), "self", or "none".
   */
  function directRights(user) {
    if (user.superuser) return { permissions: ['*'], scopes: Object.fromEntries(DOMAINS.map((d) => [d.domain, { kind: 'all', orgIds: [] }])) }
    const roles = user.roleIds.map(roleById).filter(Boolean)
    const permissions = [...new Set(roles.flatMap((r) => r.permissions))]
    const scopes = {}
    for (const d of DOMAINS) {
      const grants = roles.flatMap((r) => r.scopes).filter((g) => g.domain === d.domain)
      if (grants.some((g) => g.kind === 'all')) {
        scopes[d.domain] = { kind: 'all', orgIds: [] }
        continue
      }
      const ids = new Set()
      for (const g of grants) {
        if (g.kind === 'own_org') ids.add(user.orgId)
        if (g.kind === 'list') g.orgIds.forEach((o) => ids.add(o))
        if (g.kind === 'org_subtree') (g.orgIds.length ? g.orgIds : [user.orgId]).forEach((o) => subtree(o).forEach((x) => ids.add(x)))
      }
      scopes[d.domain] = ids.size ? { kind: 'list', orgIds: [...ids] } : { kind: grants.some((g) => g.kind === 'self') ? 'self' : 'none', orgIds: [] }
    }
    return { permissions, scopes }
  }
  const scopeOrgs = (mine) => (mine.kind === 'all' ? null : new Set(mine.orgIds))
  function sessionUser(user) {
    const direct = directRights(user)
    const delegated = activeDelegationsTo(user.id)
    const permissions = [...new Set([...direct.permissions, ...delegated.flatMap((d) => d.permissions)])]
    const org = orgById(user.orgId)
    const roles = user.roleIds.map(roleById).filter(Boolean)
    return {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      orgId: user.orgId,
      orgName: org?.name ?? '',
      divisionCode: org?.divisionCode ?? '',
      phone: maskPhone(user.phone),
      staffNo: user.staffNo,
      roles: roles.map((r) => ({ id: r.id, name: r.name })),
      permissions,
      scopes: direct.scopes,
      adminRole: roles.find((r) => r.adminRole)?.adminRole ?? null,
      totpEnabled: !!user.totpSecret,
      passwordExpiresAt: (user.passwordChangedAt ?? Date.now() - 80 * DAY) + 90 * DAY,
      delegatedFrom: delegated.map((d) => ({
        delegationId: d.id,
        fromUser: userById(d.fromUserId)?.username ?? '',
        permissions: d.permissions,
        endsAt: d.endsAt,
      })),
    }
  }
  const can = (user, key) => {
    const p = sessionUser(user).permissions
    return p.includes('*') || p.includes(key)
  }

  function userView(x) {
    const org = orgById(x.orgId)
    return {
      id: x.id, username: x.username, displayName: x.displayName, staffNo: x.staffNo, phone: maskPhone(x.phone),
      orgId: x.orgId, orgName: org?.name ?? '', postIds: x.postIds,
      roles: x.roleIds.map(roleById).filter(Boolean).map((r) => ({ id: r.id, name: r.name, adminRole: r.adminRole })),
      status: x.status, locked: x.lockedUntil > Date.now(), lockedUntil: x.lockedUntil > Date.now() ? x.lockedUntil : null,
      totpEnabled: !!x.totpSecret, createdAt: x.createdAt,
    }
  }
  const tree = () => {
    const byParent = (pid) => state.orgs.filter((o) => o.parentId === pid).sort((a, b) => a.sort - b.sort)
      .map((o) => ({ ...o, children: byParent(o.id) })).map((o) => (o.children.length ? o : { ...o, children: undefined }))
    return byParent(null)
  }
  const page = (items, url) => {
    const p = Math.max(1, Number(url.searchParams.get('page') ?? 1))
    const size = Math.min(200, Math.max(1, Number(url.searchParams.get('size') ?? 20)))
    return { items: items.slice((p - 1) * size, p * size), total: items.length, page: p, size }
  }

  /** An escalation check like the server's: nothing wider than the caller's own rights. */
  function escalation(caller, permissions, scopes) {
    const mine = directRights(caller)
    if (!mine.permissions.includes('*') && permissions.some((k) => !mine.permissions.includes(k))) return true
    for (const s of scopes ?? []) {
      const m = mine.scopes[s.domain]
      if (!m || m.kind === 'none') return true
      if (m.kind === 'all') continue
      if (s.kind === 'all') return true
      const allowed = scopeOrgs(m)
      if (s.kind === 'list' && s.orgIds.some((o) => !allowed.has(o))) return true
      if (s.kind === 'self' && m.kind !== 'self' && m.kind !== 'list') return true
    }
    return false
  }

  // ---- the request handler ----
  return async function handle(ctx) {
    const { req, res, path, url, body, cookies, sendJson, send } = ctx
    const err = (status, code, message, extra = {}) => sendJson(res, status, { code, message, requestId: requestId(), ...extra })
    const method = req.method
    const ip = (req.socket.remoteAddress ?? '').replace('::ffff:', '') || '127.0.0.1'
    const ua = req.headers['user-agent'] ?? ''
    const m = (re) => path.match(re)
    const json = async () => (await body()) ?? {}

    if (path === '/api/v1/auth/session' && method === 'POST') return err(405, 'METHOD_NOT_ALLOWED', 'method not allowed')

    // ---- public: login and friends ----
    if (path === '/api/v1/auth/login' && method === 'POST') {
      const b = await body()
      if (!b) return err(400, 'INVALID_ARGUMENT', '请求格式错误')
      const user = state.users.find((x) => x.username === b.username)
      if (user && user.lockedUntil > Date.now()) return err(423, 'ACCOUNT_LOCKED', 'account locked')
      if (!user || user.password !== b.password) {
        if (user) {
          const n = (failures.get(user.id) ?? 0) + 1
          failures.set(user.id, n)
          log(user, 'auth.login', 'failure', 'session', '', `密码错误（第 ${n} 次）`, ip)
          if (n >= 5) {
            user.lockedUntil = Date.now() + 15 * 60 * 1000
            failures.delete(user.id)
            return err(423, 'ACCOUNT_LOCKED', 'account locked')
          }
        }
        return err(401, 'INVALID_CREDENTIALS', 'invalid username or password')
      }
      failures.delete(user.id)
      if (user.status !== 'active') return err(403, 'ACCOUNT_DISABLED', 'account disabled')
      if (user.passwordExpired) {
        const changeToken = randomBytes(12).toString('hex')
        changeTokens.set(changeToken, user.id)
        return err(403, 'PASSWORD_EXPIRED', 'password expired', { changeToken })
      }
      if (user.mustEnrolTotp && !user.totpSecret) {
        const enrolmentToken = randomBytes(12).toString('hex')
        enrolTokens.set(enrolmentToken, user.id)
        return err(403, 'TOTP_ENROLMENT_REQUIRED', 'totp enrolment required', { enrolmentToken })
      }
      if (user.totpSecret) {
        if (!b.totp) return err(401, 'TOTP_REQUIRED', 'totp required')
        if (b.totp !== DEMO_CODE && !verifyTotp(user.totpSecret, b.totp)) {
          log(user, 'auth.login', 'failure', 'session', '', '动态验证码错误', ip)
          return err(401, 'TOTP_INVALID', 'totp invalid')
        }
      }
      const token = randomBytes(16).toString('hex')
      const now = Date.now()
      sessions.set(token, { id: `s-${randomBytes(4).toString('hex')}`, userId: user.id, createdAt: now, lastSeenAt: now, ip, userAgent: ua, reauthAt: 0 })
      user.lastLoginAt = now
      log(user, 'auth.login', 'success', 'session', '', user.totpSecret ? '密码 + 动态验证码' : '密码', ip)
      return sendJson(res, 200, { user: sessionUser(user), token }, {
        'Set-Cookie': [`hrss_session=${token}; Path=/; HttpOnly; SameSite=Lax`, `hrss_csrf=${randomBytes(16).toString('hex')}; Path=/; SameSite=Lax`],
      })
    }
    if (path === '/api/v1/auth/password/expired' && method === 'POST') {
      const b = await json()
      const userId = changeTokens.get(b.changeToken)
      const user = userId && userById(userId)
      if (!user || user.username !== b.username) return err(401, 'UNAUTHENTICATED', 'change token invalid')
      if (!b.newPassword || b.newPassword.length < 8) return err(400, 'PASSWORD_POLICY', '密码长度至少 8 位')
      if (b.newPassword === user.password) return err(400, 'PASSWORD_POLICY', '不能与最近 5 次使用过的密码相同')
      user.password = b.newPassword
      user.passwordExpired = false
      user.passwordChangedAt = Date.now()
      changeTokens.delete(b.changeToken)
      return send(res, 204)
    }
    if (path === '/api/v1/auth/totp/enroll' && method === 'POST') {
      const b = await json()
      const userId = enrolTokens.get(b.enrolmentToken)
      const user = userId && userById(userId)
      if (!user) return err(401, 'UNAUTHENTICATED', 'enrolment token invalid')
      return sendJson(res, 200, enrolFor(user))
    }
    if (path === '/api/v1/auth/totp/confirm' && method === 'POST') {
      const b = await json()
      const userId = enrolTokens.get(b.enrolmentToken)
      const user = userId && userById(userId)
      if (!user) return err(401, 'UNAUTHENTICATED', 'enrolment token invalid')
      const secret = pendingTotp.get(user.id)
      if (!secret || (b.code !== DEMO_CODE && !verifyTotp(secret, b.code))) return err(401, 'TOTP_INVALID', 'totp invalid')
      user.totpSecret = secret
      pendingTotp.delete(user.id)
      enrolTokens.delete(b.enrolmentToken)
      return send(res, 204)
    }
    if (path === '/api/v1/auth/cert/challenge' && method === 'POST') {
      return sendJson(res, 200, { challengeId: randomBytes(8).toString('hex'), challenge: randomBytes(32).toString('base64') })
    }
    function enrolFor(user) {
      const secret = base32Encode(randomBytes(20))
      pendingTotp.set(user.id, secret)
      const otpauthUri = `otpauth://totp/${encodeURIComponent('大竹数字人社平台')}:${user.username}?secret=${secret}&issuer=${encodeURIComponent('大竹数字人社平台')}&algorithm=SHA1&digits=6&period=30`
      return { secret, otpauthUri, qrSvg: fakeQrSvg(secret) }
    }

    // ---- everything else needs a session ----
    const token = cookies.hrss_session
    const sess = token && sessions.get(token)
    if (!sess) return err(401, token ? 'SESSION_EXPIRED' : 'UNAUTHENTICATED', 'not signed in')
    const me = userById(sess.userId)
    if (!me || me.status !== 'active') {
      sessions.delete(token)
      return err(401, 'SESSION_EXPIRED', 'session expired')
    }
    sess.lastSeenAt = Date.now()
    if (method !== 'GET' && method !== 'HEAD') {
      const header = req.headers['x-csrf-token']
      if (!header || header !== cookies.hrss_csrf) return err(403, 'CSRF_INVALID', 'csrf token missing or wrong')
    }
    const need = (key) => {
      if (can(me, key)) return true
      err(403, 'PERMISSION_DENIED', `permission ${key} required`)
      return false
    }
    const needReauth = () => {
      if (Date.now() - sess.reauthAt < REAUTH_MS) return true
      err(401, 'REAUTH_REQUIRED', 're-authentication required')
      return false
    }

    if ((path === '/api/v1/me' || path === '/api/v1/auth/session') && method === 'GET') return sendJson(res, 200, { user: sessionUser(me) })
    if (path === '/api/v1/auth/logout' && method === 'POST') {
      sessions.delete(token)
      log(me, 'auth.logout', 'success', 'session', sess.id, '', ip)
      return send(res, 204, undefined, { 'Set-Cookie': 'hrss_session=; Path=/; Max-Age=0' })
    }
    if (path === '/api/v1/auth/reauth' && method === 'POST') {
      const b = await json()
      const ok = b.password !== undefined ? b.password === me.password : !!me.totpSecret && (b.totp === DEMO_CODE || verifyTotp(me.totpSecret, b.totp))
      log(me, 'auth.reauth', ok ? 'success' : 'failure', 'session', sess.id, b.password !== undefined ? '密码' : '动态验证码', ip)
      if (!ok) return err(401, b.password !== undefined ? 'INVALID_CREDENTIALS' : 'TOTP_INVALID', 'reauth failed')
      sess.reauthAt = Date.now()
      return send(res, 204)
    }

    // ---- personal center ----
    if (path === '/api/v1/me/password' && method === 'POST') {
      const b = await json()
      if (b.oldPassword !== me.password) return err(401, 'INVALID_CREDENTIALS', '原密码错误')
      const pw = String(b.newPassword ?? '')
      const classes = [/[A-Z]/, /[a-z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(pw)).length
      if (pw.length < 8) return err(400, 'PASSWORD_POLICY', '密码长度至少 8 位')
      if (classes < 3) return err(400, 'PASSWORD_POLICY', '须包含大写字母、小写字母、数字、特殊符号中的至少 3 类')
      if (pw.toLowerCase().includes(me.username.toLowerCase())) return err(400, 'PASSWORD_POLICY', '不能包含用户名')
      if (pw === 'Dazhu@2024') return err(400, 'PASSWORD_POLICY', '不能与最近 5 次使用过的密码相同')
      me.password = pw
      me.passwordChangedAt = Date.now()
      log(me, 'auth.password.change', 'success', 'user', String(me.id), '', ip)
      return send(res, 204)
    }
    if (path === '/api/v1/me/sessions' && method === 'GET') {
      const items = [...sessions.values()].filter((s) => s.userId === me.id)
        .map((s) => ({ id: s.id, current: s === sess, createdAt: s.createdAt, lastSeenAt: s.lastSeenAt, ip: s.ip, userAgent: s.userAgent }))
      return sendJson(res, 200, { items })
    }
    let mm
    if ((mm = m(/^\/api\/v1\/me\/sessions\/([^/]+)$/)) && method === 'DELETE') {
      for (const [k, s] of sessions) if (s.id === mm[1] && s.userId === me.id) sessions.delete(k)
      log(me, 'session.revoke', 'success', 'session', mm[1], '', ip)
      return send(res, 204)
    }
    if (path === '/api/v1/me/totp/enroll' && method === 'POST') return sendJson(res, 200, enrolFor(me))
    if (path === '/api/v1/me/totp/confirm' && method === 'POST') {
      const b = await json()
      const secret = pendingTotp.get(me.id)
      if (!secret) return err(400, 'FAILED_PRECONDITION', '没有待确认的绑定')
      if (b.code !== DEMO_CODE && !verifyTotp(secret, b.code)) return err(401, 'TOTP_INVALID', 'totp invalid')
      me.totpSecret = secret
      pendingTotp.delete(me.id)
      log(me, 'totp.enable', 'success', 'user', String(me.id), '', ip)
      return send(res, 204)
    }
    if (path === '/api/v1/me/totp' && method === 'DELETE') {
      if (sessionUser(me).adminRole) return err(400, 'FAILED_PRECONDITION', '管理员账号必须启用二次验证')
      if (!needReauth()) return
      me.totpSecret = null
      log(me, 'totp.disable', 'success', 'user', String(me.id), '', ip)
      return send(res, 204)
    }
    if (path === '/api/v1/me/certificates') {
      const list = state.certificates.get(me.id) ?? []
      if (method === 'GET') return sendJson(res, 200, { items: list })
      if (method === 'POST') {
        const b = await json()
        if (!/^-----BEGIN PUBLIC KEY-----[\s\S]+-----END PUBLIC KEY-----\s*$/.test(b.publicKeyPem ?? '')) return err(400, 'INVALID_ARGUMENT', '公钥格式不正确')
        const der = Buffer.from(b.publicKeyPem.replace(/-----[^-]+-----|\s/g, ''), 'base64')
        const hex = createHash('sha256').update(der).digest('hex').slice(0, 32)
        const cert = { id: nextId(), name: b.name, algorithm: der.includes(Buffer.from([0x2a, 0x81, 0x1c])) ? 'SM2' : 'EC P-256',
          fingerprint: `SHA256:${hex.match(/.{4}/g).join(' ')}`, createdAt: Date.now() }
        state.certificates.set(me.id, [...list, cert])
        log(me, 'cert.add', 'success', 'cert', String(cert.id), cert.name, ip)
        return sendJson(res, 201, cert)
      }
    }
    if ((mm = m(/^\/api\/v1\/me\/certificates\/([^/]+)$/)) && method === 'DELETE') {
      state.certificates.set(me.id, (state.certificates.get(me.id) ?? []).filter((c) => !same(c.id, mm[1])))
      log(me, 'cert.delete', 'success', 'cert', mm[1], '', ip)
      return send(res, 204)
    }
    if (path === '/api/v1/me/apps' && method === 'GET') {
      const mine = sessionUser(me).permissions
      const items = state.apps
        .filter((a) => mine.includes('*') || mine.some((k) => k.startsWith(`${a.prefix}:`)))
        .map(({ prefix, ...a }) => a)
      return sendJson(res, 200, { items })
    }
    if (path === '/api/v1/sso/catalog' && method === 'GET') {
      const items = state.ssoClients
        .filter((c) => c.enabled && (!c.requiredPermission || can(me, c.requiredPermission)))
        .map((c) => ({ id: c.clientId, name: c.name, url: c.appUrl, description: c.description }))
      return sendJson(res, 200, { items })
    }
    if (path === '/api/v1/sso/apps' && method === 'GET') {
      if (!need('system:app:read')) return
      return sendJson(res, 200, { items: state.ssoClients, total: state.ssoClients.length })
    }
    if (path === '/api/v1/sso/apps' && method === 'POST') {
      if (!need('system:app:write')) return
      const b = await json()
      if (!/^[a-z0-9_-]{3,64}$/.test(b.clientId ?? '')) return err(400, 'INVALID_ARGUMENT', 'clientId 须为 3–64 位小写字母、数字、-、_')
      if (!b.name) return err(400, 'INVALID_ARGUMENT', '应用名称须为 1–128 字节')
      if (!Array.isArray(b.redirectUris) || !b.redirectUris.length) return err(400, 'INVALID_ARGUMENT', '回调地址须为 1–10 个完整的 http(s) 地址，不含片段')
      if (state.ssoClients.some((c) => c.clientId === b.clientId)) return err(409, 'CONFLICT', `clientId 已存在：${b.clientId}`)
      state.ssoClients.push({ clientId: b.clientId, name: b.name, confidential: !!b.confidential, redirectUris: b.redirectUris,
        postLogoutRedirectUris: b.postLogoutRedirectUris ?? [], appUrl: b.appUrl ?? '', description: b.description ?? '',
        requiredPermission: b.requiredPermission ?? '', enabled: true, createdAt: Date.now() })
      log(me, 'sso.app.create', 'success', 'sso_client', b.clientId, '', ip)
      return sendJson(res, 201, { clientId: b.clientId, ...(b.confidential ? { clientSecret: randomBytes(24).toString('base64url') } : {}) })
    }
    if ((mm = m(/^\/api\/v1\/sso\/apps\/([^/]+)$/)) && method === 'DELETE') {
      if (!need('system:app:write')) return
      const c = state.ssoClients.find((x) => x.clientId === mm[1])
      if (!c) return err(404, 'NOT_FOUND', `应用不存在：${mm[1]}`)
      c.enabled = false
      log(me, 'sso.app.disable', 'success', 'sso_client', c.clientId, '', ip)
      return send(res, 204)
    }

    // ---- organisations, posts, users ----
    if (path === '/api/v1/orgs' && method === 'GET') return need('system:org:read') && sendJson(res, 200, tree())
    if (path === '/api/v1/orgs' && method === 'POST') {
      if (!need('system:org:write')) return
      const b = await json()
      if (!b.name?.trim()) return err(400, 'INVALID_ARGUMENT', 'name is required')
      if (state.orgs.some((o) => o.name === b.name.trim() && same(o.parentId ?? 'null', b.parentId ?? 'null'))) return err(409, 'CONFLICT', '同级已有同名机构')
      const org = { id: nextId(), parentId: b.parentId ?? null, name: b.name.trim(), kind: b.kind, divisionCode: b.divisionCode ?? '', sort: b.sort ?? 0 }
      state.orgs.push(org)
      log(me, 'org.create', 'success', 'org', String(org.id), org.name, ip)
      return sendJson(res, 201, org)
    }
    if ((mm = m(/^\/api\/v1\/orgs\/([^/]+)$/))) {
      const org = orgById(mm[1])
      if (!org) return err(404, 'NOT_FOUND', 'no such org')
      if (!need('system:org:write')) return
      if (method === 'PUT') {
        const b = await json()
        Object.assign(org, { parentId: b.parentId ?? null, name: b.name, kind: b.kind, divisionCode: b.divisionCode ?? '', sort: b.sort ?? 0 })
        log(me, 'org.update', 'success', 'org', String(org.id), org.name, ip)
        return sendJson(res, 200, org)
      }
      if (method === 'DELETE') {
        if (state.orgs.some((o) => same(o.parentId, org.id))) return err(409, 'CONFLICT', '该机构下还有下级机构')
        if (state.users.some((x) => same(x.orgId, org.id))) return err(409, 'CONFLICT', '该机构下还有用户')
        state.orgs = state.orgs.filter((o) => o !== org)
        log(me, 'org.delete', 'success', 'org', String(org.id), org.name, ip)
        return send(res, 204)
      }
    }
    if (path === '/api/v1/posts' && method === 'GET') return need('system:org:read') && sendJson(res, 200, { items: POSTS, total: POSTS.length, page: 1, size: POSTS.length })
    if (path === '/api/v1/users' && method === 'GET') {
      if (!need('system:user:read')) return
      const orgId = url.searchParams.get('orgId')
      const q = (url.searchParams.get('q') ?? '').trim().toLowerCase()
      const orgs = orgId ? new Set(subtree(Number(orgId))) : null
      const mine = scopeOrgs(directRights(me).scopes.system ?? { kind: 'none', orgIds: [] })
      const items = state.users
        .filter((x) => !mine || mine.has(x.orgId))
        .filter((x) => !orgs || orgs.has(x.orgId))
        .filter((x) => !q || [x.username, x.displayName, x.staffNo].some((v) => v.toLowerCase().includes(q)))
        .map(userView)
      return sendJson(res, 200, page(items, url))
    }
    if (path === '/api/v1/users' && method === 'POST') {
      if (!need('system:user:write')) return
      const b = await json()
      if (!/^[A-Za-z][A-Za-z0-9_]{2,31}$/.test(b.username ?? '')) return err(400, 'INVALID_ARGUMENT', '用户名格式不正确')
      if (state.users.some((x) => x.username === b.username)) return err(409, 'CONFLICT', `用户名 ${b.username} 已存在`)
      if (!orgById(b.orgId)) return err(400, 'INVALID_ARGUMENT', '所属机构不存在')
      const user = { id: nextId(), username: b.username, displayName: b.displayName, staffNo: b.staffNo, phone: b.phone ?? '', orgId: b.orgId,
        postIds: b.postIds ?? [], roleIds: [], password: b.password, status: 'active', lockedUntil: 0, totpSecret: null, createdAt: Date.now(), lastLoginAt: 0 }
      state.users.push(user)
      log(me, 'user.create', 'success', 'user', String(user.id), JSON.stringify({ username: user.username, orgId: user.orgId }), ip)
      return sendJson(res, 201, userView(user))
    }
    if ((mm = m(/^\/api\/v1\/users\/([^/]+)(?:\/([a-z-]+))?$/))) {
      const user = userById(mm[1])
      const action = mm[2]
      if (!user) return err(404, 'NOT_FOUND', 'no such user')
      if (!action && method === 'GET') return need('system:user:read') && sendJson(res, 200, userView(user))
      if (!action && method === 'PUT') {
        if (!need('system:user:write')) return
        const b = await json()
        Object.assign(user, { displayName: b.displayName, staffNo: b.staffNo, orgId: b.orgId, postIds: b.postIds ?? [] }, b.phone ? { phone: b.phone } : {})
        log(me, 'user.update', 'success', 'user', String(user.id), '', ip)
        return sendJson(res, 200, userView(user))
      }
      if (action === 'roles' && method === 'PUT') {
        if (!need('security:role:grant')) return
        if (!needReauth()) return
        const b = await json()
        const roles = (b.roleIds ?? []).map(roleById)
        if (roles.some((r) => !r)) return err(400, 'INVALID_ARGUMENT', 'unknown role')
        if (roles.filter((r) => r.adminRole).length > 1) return err(403, 'ADMIN_SEPARATION', '三类管理员角色不能授予同一用户')
        if (roles.some((r) => escalation(me, r.permissions, r.scopes))) return err(403, 'ESCALATION_DENIED', '所授角色超出本人权限或数据范围')
        user.roleIds = roles.map((r) => r.id)
        log(me, 'user.roles.set', 'success', 'user', String(user.id), JSON.stringify({ roleIds: user.roleIds }), ip)
        return send(res, 204)
      }
      if (method === 'POST' && ['disable', 'enable', 'unlock', 'reset-password'].includes(action)) {
        if (!need('system:user:write')) return
        if (action === 'reset-password') {
          if (!needReauth()) return
          const b = await json()
          const pw = b.password ?? b.newPassword
          if (!pw || pw.length < 8) return err(400, 'PASSWORD_POLICY', '密码长度至少 8 位')
          user.password = pw
          log(me, 'user.reset_password', 'success', 'user', String(user.id), '', ip)
          return send(res, 204)
        }
        if (action === 'disable') {
          if (user.id === me.id) return err(400, 'FAILED_PRECONDITION', '不能停用本人账号')
          user.status = 'disabled'
          for (const [k, s] of sessions) if (s.userId === user.id) sessions.delete(k)
        }
        if (action === 'enable') user.status = 'active'
        if (action === 'unlock') user.lockedUntil = 0
        log(me, `user.${action}`, 'success', 'user', String(user.id), '', ip)
        return send(res, 204)
      }
    }

    // ---- roles, permissions, scopes ----
    if (path === '/api/v1/permissions' && method === 'GET') return need('security:role:read') && sendJson(res, 200, CATALOG)
    if (path === '/api/v1/scope-domains' && method === 'GET') return need('security:role:read') && sendJson(res, 200, DOMAINS)
    if (path === '/api/v1/roles' && method === 'GET') return need('security:role:read') && sendJson(res, 200, { items: state.roles })
    if (path === '/api/v1/roles' && method === 'POST') {
      if (!need('security:role:write') || !needReauth()) return
      const b = await json()
      if (!b.name?.trim() || !b.code?.trim()) return err(400, 'INVALID_ARGUMENT', 'name and code are required')
      if (state.roles.some((r) => r.code === b.code)) return err(409, 'CONFLICT', `角色编码 ${b.code} 已存在`)
      if (escalation(me, b.permissions ?? [], b.scopes ?? [])) return err(403, 'ESCALATION_DENIED', 'wider than caller')
      const role = { id: nextId(), name: b.name, code: b.code, description: b.description ?? '', permissions: b.permissions ?? [], scopes: b.scopes ?? [], adminRole: null }
      state.roles.push(role)
      log(me, 'role.create', 'success', 'role', String(role.id), JSON.stringify({ code: role.code, permissions: role.permissions }), ip)
      return sendJson(res, 201, role)
    }
    if ((mm = m(/^\/api\/v1\/roles\/([^/]+)$/))) {
      const role = roleById(mm[1])
      if (!role) return err(404, 'NOT_FOUND', 'no such role')
      if (method === 'GET') return need('security:role:read') && sendJson(res, 200, role)
      if (!need('security:role:write') || !needReauth()) return
      if (method === 'PUT') {
        const b = await json()
        if (state.roles.some((r) => r.code === b.code && r !== role)) return err(409, 'CONFLICT', `角色编码 ${b.code} 已存在`)
        const added = (b.permissions ?? []).filter((k) => !role.permissions.includes(k))
        if (escalation(me, added, b.scopes ?? [])) return err(403, 'ESCALATION_DENIED', 'wider than caller')
        Object.assign(role, { name: b.name, code: b.code, description: b.description ?? '', permissions: b.permissions ?? [], scopes: b.scopes ?? [] })
        log(me, 'role.update', 'success', 'role', String(role.id), JSON.stringify({ permissions: role.permissions, scopes: role.scopes }), ip)
        return sendJson(res, 200, role)
      }
      if (method === 'DELETE') {
        if (role.adminRole) return err(400, 'FAILED_PRECONDITION', '管理员角色不能删除')
        if (state.users.some((x) => x.roleIds.includes(role.id))) return err(409, 'CONFLICT', '该角色已分配给用户，请先解除')
        state.roles = state.roles.filter((r) => r !== role)
        log(me, 'role.delete', 'success', 'role', String(role.id), role.code, ip)
        return send(res, 204)
      }
    }

    // ---- delegation ----
    // As the server sends it: ids only, plus a status.
    const delegationView = (d, now = Date.now()) => ({
      ...d,
      status: d.revokedAt ? 'revoked' : now >= d.endsAt ? 'expired' : now < d.startsAt ? 'pending' : 'active',
    })
    if (path === '/api/v1/delegations' && method === 'GET') {
      const sorted = [...state.delegations].sort((a, b) => b.startsAt - a.startsAt)
      return sendJson(res, 200, {
        given: sorted.filter((d) => d.fromUserId === me.id).map((d) => delegationView(d)),
        received: sorted.filter((d) => d.toUserId === me.id).map((d) => delegationView(d)),
      })
    }
    if (path === '/api/v1/delegations' && method === 'POST') {
      const b = await json()
      if (!userById(b.toUserId) || userById(b.toUserId).status !== 'active') return err(404, 'NOT_FOUND', '被转授人不存在或已停用')
      if (same(b.toUserId, me.id)) return err(400, 'INVALID_ARGUMENT', '不能转授给本人')
      if (!(b.endsAt > b.startsAt) || !(b.endsAt > Date.now())) return err(400, 'INVALID_ARGUMENT', '转授结束时间须晚于开始时间和当前时间')
      if (b.endsAt - Math.max(b.startsAt, Date.now()) > 90 * DAY) return err(400, 'INVALID_ARGUMENT', '转授期限不能超过 90 天')
      if (!b.reason?.trim()) return err(400, 'INVALID_ARGUMENT', '请填写转授理由')
      if (sessionUser(me).adminRole) return err(403, 'ESCALATION_DENIED', '管理员的权限不能转授（三权分立）')
      const received = new Set(activeDelegationsTo(me.id).flatMap((x) => x.permissions))
      if ((b.permissions ?? []).some((k) => received.has(k) && !directRights(me).permissions.includes(k))) {
        return err(403, 'ESCALATION_DENIED', '转授得来的权限不能再次转授')
      }
      if (escalation(me, b.permissions ?? [], b.scopes ?? [])) return err(403, 'ESCALATION_DENIED', '超出本人的权限或数据范围')
      const d = { id: nextId(), createdAt: Date.now(), fromUserId: me.id, toUserId: b.toUserId, permissions: b.permissions, scopes: b.scopes ?? [],
        startsAt: b.startsAt, endsAt: b.endsAt, reason: b.reason.trim(), revokedAt: null }
      state.delegations.push(d)
      log(me, 'delegation.create', 'success', 'delegation', String(d.id), JSON.stringify({ toUserId: d.toUserId, permissions: d.permissions }), ip)
      return sendJson(res, 201, delegationView(d))
    }
    if ((mm = m(/^\/api\/v1\/delegations\/([^/]+)\/revoke$/)) && method === 'POST') {
      const d = state.delegations.find((x) => same(x.id, mm[1]))
      if (!d || (d.fromUserId !== me.id && sessionUser(me).adminRole !== 'security')) return err(404, 'NOT_FOUND', '转授不存在')
      d.revokedAt = Date.now()
      log(me, 'delegation.revoke', 'success', 'delegation', String(d.id), '', ip)
      return send(res, 204)
    }

    // ---- online users ----
    if (path === '/api/v1/sessions' && method === 'GET') {
      if (!need('security:session:read')) return
      const items = [...sessions.values()].map((s) => {
        const x = userById(s.userId)
        return { id: s.id, userId: s.userId, username: x?.username, displayName: x?.displayName, orgName: orgById(x?.orgId)?.name,
          ip: s.ip, userAgent: s.userAgent, createdAt: s.createdAt, lastSeenAt: s.lastSeenAt, current: s === sess }
      })
      return sendJson(res, 200, page(items, url))
    }
    if ((mm = m(/^\/api\/v1\/sessions\/([^/]+)$/)) && method === 'DELETE') {
      if (!need('security:session:kick')) return
      for (const [k, s] of sessions) {
        if (s.id === mm[1]) {
          sessions.delete(k)
          log(me, 'session.kick', 'success', 'session', s.id, JSON.stringify({ username: userById(s.userId)?.username }), ip)
        }
      }
      return send(res, 204)
    }

    // ---- audit ----
    if (path === '/api/v1/audit' && method === 'GET') {
      if (!need('audit:log:read')) return
      const q = url.searchParams
      const from = Number(q.get('from') || 0)
      const to = Number(q.get('to') || 0)
      const items = [...audit].reverse().filter((r) =>
        (!from || r.at >= from) && (!to || r.at <= to) &&
        (!q.get('userId') || same(r.userId, q.get('userId'))) &&
        (!q.get('username') || r.username === q.get('username')) &&
        (!q.get('action') || r.action === q.get('action')) &&
        (!q.get('result') || r.result === q.get('result')))
      return sendJson(res, 200, page(items, url))
    }
    if (path === '/api/v1/audit/verify' && method === 'GET') {
      if (!need('audit:log:read')) return
      log(me, 'audit.verify', 'success', 'audit', '', '', ip)
      return sendJson(res, 200, { ok: true, checked: audit.length, headId: audit.length })
    }

    for (const ext of extensions) {
      const answered = await ext({ ...ctx, me, user: sessionUser(me), err, need, needReauth, can: (key) => can(me, key),
        log: (action, result, objectType, objectId, detail) => log(me, action, result, objectType, objectId, detail, ip) })
      if (answered) return
    }
    return err(404, 'NOT_FOUND', '接口不存在')
  }
}
