// In-memory stand-in for the data center API of docs/api/datacenter.md (and
// POST /api/v1/pii/unmask for persons), plugged into scripts/mock-identity.mjs
// as an extension by scripts/serve-dist.mjs --mock-api, plus a minimal
// WebSocket hub on /api/v1/ws (src/http/websocket_hub.h protocol) that
// publishes `datacenter.batch` progress while a mock batch runs.
//
// Not a reference implementation: deterministic fixture data (persons of
// Dazhu's townships, units, five source systems, jobs and batches, quarantine,
// quality, conflicts, export requests) and just enough rules to exercise the
// portal pages: permissions, data scope → `restricted`, masking, JOB_RUNNING,
// BAD_CRON, reprocess outcomes, the requester-cannot-approve rule.
// Shapes are the contract's; where the contract leaves a row open-ended the
// camelCase columns of src/modules/datacenter/standard_schema.cc are used.
import { createHash } from 'node:crypto'
import { acceptUpgrade, readFrames, sendText } from './mock-ws.mjs'

const DAY = 24 * 3600 * 1000
const DIVISIONS = [
  ['511724001', '竹阳街道'], ['511724002', '东柳街道'], ['511724003', '白塔街道'], ['511724101', '乌木镇'],
  ['511724102', '团坝镇'], ['511724103', '杨家镇'], ['511724104', '清河镇'], ['511724105', '柏林镇'],
  ['511724106', '石河镇'], ['511724107', '中华镇'], ['511724108', '石桥铺镇'], ['511724109', '观音镇'],
  ['511724110', '周家镇'], ['511724111', '石子镇'], ['511724112', '文星镇'], ['511724113', '妈妈镇'],
  ['511724114', '高穴镇'], ['511724115', '欧家镇'], ['511724116', '庙坝镇'], ['511724117', '清水镇'],
  ['511724118', '月华镇'], ['511724119', '高明镇'], ['511724120', '童家镇'], ['511724121', '天城镇'],
  ['511724125', '四合镇'], ['511724126', '永胜镇'], ['511724203', '朝阳乡'], ['511724214', '安吉乡'],
  ['511724218', '八渡乡'], ['511724220', '杨通乡'], ['511724231', '川主乡'],
]
const divisionName = (code) => DIVISIONS.find(([c]) => c === code)?.[1] ?? ''
const SYSTEMS = [['jubao', '居保'], ['shebao', '社保'], ['jibao', '机保'], ['jiuye', '就业'], ['jiancha', '劳动监察']]
const systemName = (s) => SYSTEMS.find(([c]) => c === s)?.[1] ?? s
const DOMAIN_KEYS = {
  jubao: 'jubao:record:read', jibao: 'jibao:record:read', shebao: 'shebao:record:read', jiuye: 'jiuye:record:read',
  jiancha: 'jiancha:case:read', dangan: 'dangan:record:read', renshi: 'renshi:record:read',
}

// ---- deterministic randomness ----------------------------------------------------
function rng(seed) {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
const rand = rng(20260917)
const pick = (list) => list[Math.floor(rand() * list.length)]
const int = (a, b) => a + Math.floor(rand() * (b - a + 1))

// ---- identities -----------------------------------------------------------------------
const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
export function idNumber(birth, seq) {
  const body = `511724${birth.replace(/-/g, '')}${String(seq).padStart(3, '0')}`
  const sum = W.reduce((n, w, i) => n + w * Number(body[i]), 0)
  return body + '10X98765432'[sum % 11]
}
const maskId = (id) => `${id.slice(0, 6)}********${id.slice(14)}`
const maskName = (n) => (n.length <= 2 ? `${n[0]}*` : `${n[0]}${'*'.repeat(n.length - 2)}${n[n.length - 1]}`)
const maskPhone = (p) => (p ? `${p.slice(0, 3)}****${p.slice(7)}` : '')
const creditCode = (n) => `915117247${createHash('md5').update(`u${n}`).digest('hex').slice(0, 8).toUpperCase().replace(/[IOSVZ]/g, '8')}X`

const SURNAMES = ['张', '王', '李', '刘', '陈', '杨', '黄', '赵', '周', '吴', '徐', '孙', '唐', '蒋', '邓', '何', '罗', '胡', '郑', '谢']
const GIVEN = ['建国', '秀英', '志强', '桂兰', '德明', '丽', '海燕', '小燕', '文华', '春梅', '明', '伟', '静', '国强', '红梅', '晓东', '兴福', '玉兰', '永贵', '婷']
const UNIT_NAMES = [
  ['大竹县竹阳建筑工程有限公司', 'E', 'enterprise'], ['四川大竹苎麻纺织有限公司', 'C', 'enterprise'], ['大竹县东柳商贸有限责任公司', 'F', 'enterprise'],
  ['大竹县人民医院', 'Q', 'institution'], ['大竹县白塔米业有限公司', 'C', 'enterprise'], ['大竹县清河物流有限公司', 'G', 'enterprise'],
  ['大竹县第二中学', 'P', 'institution'], ['大竹县观音镇人民政府', 'S', 'organ'], ['大竹县月华农业开发有限公司', 'A', 'enterprise'],
  ['大竹县石河电子科技有限公司', 'I', 'enterprise'], ['大竹县庙坝酒店管理有限公司', 'H', 'enterprise'], ['大竹县周家家具厂', 'C', 'individual'],
]

function period(y, m) {
  return y * 100 + m
}
function addMonths(p, n) {
  const i = Math.floor(p / 100) * 12 + (p % 100) - 1 + n
  return Math.floor(i / 12) * 100 + (i % 12) + 1
}
function periodsBetween(from, to) {
  const out = []
  for (let p = from; p <= to; p = addMonths(p, 1)) out.push(p)
  return out
}

function buildData() {
  const now = Date.now()
  const units = UNIT_NAMES.map(([name, industry, unitType], i) => ({
    id: 3001 + i, creditCode: creditCode(i), unitNo: `51172400${String(1201 + i * 37).padStart(4, '0')}`, name, unitType, industry,
    divisionCode: DIVISIONS[i % 12][0], divisionName: DIVISIONS[i % 12][1], legalPerson: `${pick(SURNAMES)}${pick(GIVEN)}`,
    status: i === 11 ? 'suspended' : 'active',
    sources: [{ system: 'shebao', srcKey: `AB01:${51172400 + i}`, batchId: 1042, updatedAt: now - int(1, 20) * DAY },
      ...(i % 3 === 0 ? [{ system: 'jiuye', srcKey: `dw-${1000 + i}`, batchId: 1045, updatedAt: now - int(1, 9) * DAY }] : [])],
  }))
  const persons = []
  for (let i = 0; i < 48; i++) {
    const year = int(1958, 2001)
    const birth = `${year}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`
    const gender = i % 2 ? '2' : '1'
    const seq = int(100, 899) * 2 + (gender === '1' ? 1 : 0)
    const name = `${pick(SURNAMES)}${pick(GIVEN)}`
    const [divisionCode, division] = i < 6 ? DIVISIONS[i % 3] : pick(DIVISIONS)
    const unit = i % 5 === 4 ? null : units[i % units.length]
    persons.push({
      id: 100001 + i, name, idNumber: idNumber(birth, seq % 1000), gender, birthDate: birth, age: 2026 - year,
      divisionCode, divisionName: division, mobile: `1${pick(['38', '39', '58', '87', '99'])}${String(int(10000000, 99999999))}`,
      unit, resident: !unit,
    })
  }
  // A well-known demo person: 张三 1980-03-05, with gaps, arrears, a conflict and every section.
  persons[0] = { ...persons[0], name: '张三', birthDate: '1980-03-05', idNumber: idNumber('1980-03-05', 123), gender: '1', age: 46,
    divisionCode: '511724001', divisionName: '竹阳街道', unit: units[0], resident: false }
  persons[1] = { ...persons[1], name: '李秀英', birthDate: '1962-11-20', idNumber: idNumber('1962-11-20', 242), gender: '2', age: 63,
    divisionCode: '511724109', divisionName: '观音镇', unit: null, resident: true, retired: true }
  return { units, persons }
}

export function createMockDatacenter() {
  const { units, persons } = buildData()
  const now = Date.now()
  const clients = new Set()

  // ---- contributions per person ------------------------------------------------------
  const contributions = new Map()
  function monthsOf(p) {
    if (contributions.has(p.id)) return contributions.get(p.id)
    const out = []
    const last = period(2026, 8)
    const types = p.resident ? ['170'] : p.unit?.unitType === 'organ' || p.unit?.unitType === 'institution' ? ['120', '310'] : ['110', '210', '310', '410']
    const base = p.resident ? 0 : int(3600, 7800) * 100
    const first = p.resident ? period(2016, 1) : period(int(2016, 2020), int(1, 12))
    const gapStart = p.id === 100001 ? period(2021, 4) : rand() < 0.35 ? addMonths(first, int(10, 50)) : null
    const gapLen = p.id === 100001 ? 6 : int(2, 7)
    const dueFrom = p.id === 100001 || rand() < 0.2 ? addMonths(last, -2) : null
    for (const type of types) {
      for (const per of periodsBetween(first, last)) {
        if (gapStart && per >= gapStart && per < addMonths(gapStart, gapLen) && type !== '410') continue
        if (p.resident) {
          if (per % 100 !== 1) continue
          out.push({ period: per, insuranceType: type, baseFen: 0, personalFen: pick([20000, 30000, 50000, 100000]), unitFen: 0, status: 'paid', unitNo: '' })
          continue
        }
        const rate = { 110: [0.08, 0.16], 120: [0.08, 0.16], 210: [0.004, 0.006], 310: [0.02, 0.06], 410: [0, 0.004] }[type]
        out.push({
          period: per, insuranceType: type, baseFen: base, personalFen: Math.round(base * rate[0]), unitFen: Math.round(base * rate[1]),
          status: dueFrom && per >= dueFrom ? 'due' : 'paid', unitNo: p.unit?.unitNo ?? '',
        })
      }
    }
    contributions.set(p.id, out)
    return out
  }
  function gapsOf(months) {
    const have = new Set(months.map((m) => m.period))
    const sorted = [...have].sort((a, b) => a - b)
    if (!sorted.length) return []
    const gaps = []
    let start = null
    const step = months.every((m) => m.period % 100 === 1) ? 12 : 1
    for (let per = sorted[0]; per <= sorted[sorted.length - 1]; per = addMonths(per, step)) {
      if (!have.has(per)) start ??= per
      else if (start !== null) {
        const to = addMonths(per, -step)
        gaps.push({ from: start, to, months: periodsBetween(start, to).length })
        start = null
      }
    }
    return gaps
  }

  // ---- scope ----------------------------------------------------------------------------
  /** Domains the user may not see (scope kind none/missing, and not "*"). */
  function restrictedFor(user) {
    if (user.permissions.includes('*')) return []
    return Object.keys(DOMAIN_KEYS).filter((d) => !user.scopes?.[d] || user.scopes[d].kind === 'none')
  }
  /** Names and ID numbers are masked unless the caller's scope covers the person's township fully (leaders, county-wide roles). */
  const personHit = (p) => ({
    id: p.id, name: maskName(p.name), idNumber: maskId(p.idNumber), gender: p.gender, birthDate: p.birthDate,
    divisionCode: p.divisionCode, divisionName: p.divisionName,
    systems: [p.resident ? 'jubao' : 'shebao', ...(p.id % 3 === 0 ? ['jiuye'] : []), ...(p.unit?.unitType === 'institution' ? ['jibao'] : [])],
  })
  const unitHit = (u) => ({ id: u.id, name: u.name, creditCode: u.creditCode, unitNo: u.unitNo, unitType: u.unitType,
    divisionCode: u.divisionCode, divisionName: u.divisionName, status: u.status })

  function person360(p, user) {
    const restricted = restrictedFor(user)
    const months = monthsOf(p)
    const types = [...new Set(months.map((m) => m.insuranceType))]
    const summary = types.map((type) => {
      const ms = months.filter((m) => m.insuranceType === type)
      const paid = ms.filter((m) => m.status === 'paid')
      return {
        insuranceType: type, months: paid.length, firstPeriod: ms[0]?.period ?? 0, lastPeriod: paid[paid.length - 1]?.period ?? 0,
        totalPersonalFen: paid.reduce((n, m) => n + m.personalFen, 0), totalUnitFen: paid.reduce((n, m) => n + m.unitFen, 0),
        gaps: gapsOf(ms).reduce((n, g) => n + g.months, 0),
        arrearsFen: ms.filter((m) => m.status === 'due').reduce((n, m) => n + m.personalFen + m.unitFen, 0),
      }
    })
    const sources = [
      { system: p.resident ? 'jubao' : 'shebao', srcKey: p.resident ? `JB${String(p.id).padStart(10, '0')}` : `AC01:${p.id + 4000000}`,
        name: p.name, birthDate: p.birthDate, batchId: p.resident ? 1041 : 1042, updatedAt: now - 3 * DAY },
      ...(p.id % 3 === 0 || p.id === 100001 ? [{ system: 'jiuye', srcKey: `ry-${p.id}`, name: p.id === 100001 ? '张 三' : p.name,
        birthDate: p.id === 100001 ? '1980-05-03' : p.birthDate, batchId: 1045, updatedAt: now - DAY }] : []),
    ]
    const conflicts = conflictsState.filter((c) => c.personId === p.id).map(({ id, field, values, status }) => ({ id, field, values, status }))
    const view = {
      person: { id: p.id, name: maskName(p.name), idNumber: maskId(p.idNumber), gender: p.gender, birthDate: p.birthDate, age: p.age,
        divisionCode: p.divisionCode, divisionName: p.divisionName, mobile: maskPhone(p.mobile), sources, conflicts },
      enrolments: types.map((type) => ({
        insuranceType: type, status: p.id === 100001 && type === '210' ? '2' : '1',
        startDate: `${String(summary.find((s) => s.insuranceType === type).firstPeriod).slice(0, 4)}-${String(summary.find((s) => s.insuranceType === type).firstPeriod).slice(4)}-01`,
        endDate: '', unitName: p.unit?.name ?? '', unitNo: p.unit?.unitNo ?? '', domain: type === '170' ? 'jubao' : type === '120' ? 'jibao' : 'shebao',
      })),
      contributions: { summary },
      benefits: p.retired || p.resident
        ? {
            entitlements: [{ benefitType: p.resident ? 'pension_resident' : 'pension_employee', approvedDate: '2022-12-01', monthlyFen: p.resident ? 21500 : 286540,
              qualificationStatus: 'valid', domain: p.resident ? 'jubao' : 'shebao' }],
            payments: {
              recent: periodsBetween(period(2026, 3), period(2026, 8)).reverse().map((per) => ({ period: per, benefitType: p.resident ? 'pension_resident' : 'pension_employee',
                amountFen: p.resident ? 21500 : 286540, status: per === 202608 && p.id === 100002 ? 'suspended' : 'paid' })),
              totalFen: (p.resident ? 21500 : 286540) * 44,
            },
          }
        : { entitlements: [], payments: { recent: [], totalFen: 0 } },
      employment: p.id % 3 === 0 || p.id === 100001
        ? [
            { eventDate: '2019-03-11', eventType: 'employment_registration', unitName: p.unit?.name ?? units[2].name, unitCreditCode: p.unit?.creditCode ?? units[2].creditCode, amountFen: 0 },
            { eventDate: '2021-04-02', eventType: 'unemployment_registration', unitName: '', unitCreditCode: '', amountFen: 0 },
            { eventDate: '2021-06-18', eventType: 'training', unitName: '大竹县职业技能培训中心', unitCreditCode: '', amountFen: 120000 },
            { eventDate: '2021-10-08', eventType: 'employment_registration', unitName: p.unit?.name ?? units[0].name, unitCreditCode: p.unit?.creditCode ?? '', amountFen: 0 },
          ]
        : [],
      cases: p.id === 100001
        ? [{ caseNo: 'DZJC2025-0117', caseType: 'complaint', unitName: units[0].name, cause: '拖欠 2025 年 9 月至 11 月工资', amountFen: 1860000, workers: 7,
            status: 'mediated', receivedDate: '2025-12-02', filedDate: '2025-12-05', closedDate: '2026-01-16' }]
        : [],
      archives: [{ archiveNo: `DZDA${p.id}`, archiveType: p.resident ? '居保参保档案' : '职工社保档案', location: `档案室 ${int(1, 6)} 号柜`, receivedDate: '2018-07-10' }],
      institution: p.unit?.unitType === 'institution' || p.unit?.unitType === 'organ'
        ? [{ unitName: p.unit.name, post: pick(['专业技术岗位', '管理岗位', '工勤技能岗位']), salaryBaseFen: 682000, entryDate: '2012-09-01' }]
        : [],
      restricted,
    }
    // A section whose domains are all outside the scope is omitted, never partially shown.
    const drop = (section, domains) => {
      if (domains.every((d) => restricted.includes(d))) delete view[section]
    }
    drop('enrolments', ['shebao', 'jubao', 'jibao'])
    drop('contributions', ['shebao', 'jubao', 'jibao'])
    drop('benefits', ['shebao', 'jubao', 'jibao'])
    drop('employment', ['jiuye'])
    drop('cases', ['jiancha'])
    drop('archives', ['dangan'])
    drop('institution', ['renshi', 'jibao'])
    return view
  }

  function unit360(u, user) {
    const restricted = restrictedFor(user)
    const roster = persons.filter((p) => p.unit?.id === u.id)
    const extra = 20 + (u.id % 7) * 13
    const byType = {}
    for (const p of roster) for (const m of new Set(monthsOf(p).map((x) => x.insuranceType))) byType[m] = (byType[m] ?? 0) + 1
    for (const k of Object.keys(byType)) byType[k] += extra - (k === '410' ? 3 : 0)
    const byMonth = periodsBetween(period(2024, 9), period(2026, 8)).map((per, i) => {
      const n = roster.length + extra + Math.round(Math.sin(i / 3) * 4) + Math.floor(i / 6)
      return { period: per, persons: n, totalFen: n * int(98000, 112000) }
    })
    const arrearsItems = u.id === 3001 || u.id === 3012
      ? periodsBetween(period(2026, 5), period(2026, 8)).flatMap((per) => ['110', '210'].map((t) => ({ period: per, insuranceType: t, amountFen: t === '110' ? 4821600 : 180810 })))
      : []
    const view = {
      unit: { id: u.id, creditCode: u.creditCode, unitNo: u.unitNo, name: u.name, unitType: u.unitType, industry: u.industry,
        divisionCode: u.divisionCode, divisionName: u.divisionName, status: u.status, sources: u.sources },
      roster: { total: roster.length + extra, byInsuranceType: byType },
      contributions: { byMonth },
      arrears: { totalFen: arrearsItems.reduce((n, a) => n + a.amountFen, 0), items: arrearsItems },
      cases: u.id === 3001
        ? [
            { caseNo: 'DZJC2025-0117', caseType: 'complaint', cause: '拖欠 2025 年 9 月至 11 月工资', amountFen: 1860000, workers: 7, status: 'mediated', receivedDate: '2025-12-02', closedDate: '2026-01-16' },
            { caseNo: 'DZJC2026-0042', caseType: 'report', cause: '未依法为职工缴纳社会保险费', amountFen: 0, workers: 23, status: 'filed', receivedDate: '2026-06-11', closedDate: '' },
          ]
        : [],
      restricted,
    }
    if (restricted.includes('shebao')) {
      delete view.roster
      delete view.contributions
      delete view.arrears
    }
    if (restricted.includes('jiancha')) delete view.cases
    return { view, roster }
  }

  // ---- jobs, batches, quarantine ----------------------------------------------------------
  const JOBS = [
    ['jubao_csv', '居保参保与缴费（GBK CSV 文件）', 'jubao', 'file', { dir: '/data/drops/jubao', pattern: '*_d??.csv', format: 'csv', encoding: 'GBK', dialect: 'jubao' }, '0 30 1 * * *'],
    ['shebao_db', '社保核心库增量抽取', 'shebao', 'db', { dialect: 'sqlite', path: '/data/drops/shebao/shebao.db', tables: ['ab01', 'ac01', 'ac02', 'ac43', 'ab07', 'ac84'] }, '0 0 2 * * *'],
    ['jibao_xlsx', '机保在编人员与缴费（XLSX/CSV）', 'jibao', 'file', { dir: '/data/drops/jibao', pattern: 'personnel_d??.xlsx', format: 'xlsx', sheet: '在编人员', dialect: 'jibao' }, '0 0 3 * * 1'],
    ['jiuye_api', '就业系统接口拉取', 'jiuye', 'http', { baseUrl: 'http://10.51.30.21:8090', apiKeySetting: 'datacenter.jiuye.api_key', paths: ['/api/v1/persons', '/api/v1/units', '/api/v1/events'] }, '0 */30 * * * *'],
    ['jiancha_csv', '劳动监察案件（UTF-8 CSV + 附件）', 'jiancha', 'file', { dir: '/data/drops/jiancha', pattern: 'cases_d??.csv', format: 'csv', encoding: 'UTF-8', dialect: 'jiancha' }, '0 15 2 * * *'],
    ['jiuye_push', '就业系统变更推送', 'jiuye', 'push', {}, ''],
  ]
  const jobs = JOBS.map(([code, name, system, method, config, cron], i) => ({
    id: 11 + i, code, name, system, systemName: systemName(system), method, config, cron, enabled: code !== 'jibao_xlsx', nextRunAt: cron ? now + (i + 1) * 3.7 * 3600 * 1000 : null,
  }))
  const batches = []
  let batchSeq = 1000
  const TRIGGERS = ['schedule', 'schedule', 'schedule', 'manual', 'schedule', 'push']
  for (let d = 14; d >= 0; d--) {
    for (const job of jobs) {
      if (job.code === 'jibao_xlsx' && d % 7) continue
      const rows = job.code === 'shebao_db' ? int(18000, 26000) : job.code === 'jiuye_push' ? int(20, 300) : int(800, 6000)
      const q = job.code === 'jiancha_csv' ? int(0, 6) : int(0, Math.round(rows / 400))
      const started = now - d * DAY - (6 - job.id % 6) * 3600 * 1000
      const failed = job.code === 'jiuye_api' && d === 3
      const ins = Math.round(rows * (d === 14 ? 0.9 : 0.08))
      const upd = Math.round(rows * 0.12)
      batches.push({
        id: ++batchSeq, jobId: job.id, jobName: job.name, trigger: job.method === 'push' ? 'push' : d === 14 ? 'cli' : TRIGGERS[(d + job.id) % 5],
        triggeredBy: d === 14 ? 'hrss-cli' : job.method === 'push' ? 'jiuye' : TRIGGERS[(d + job.id) % 5] === 'manual' ? 'admin' : '',
        status: failed ? 'failed' : 'succeeded', startedAt: started, finishedAt: started + int(20, 380) * 1000,
        rowsRead: failed ? 1200 : rows, rowsInserted: failed ? 0 : ins, rowsUpdated: failed ? 0 : upd, rowsUnchanged: failed ? 0 : rows - ins - upd - q,
        rowsDeleted: failed ? 0 : int(0, 12), rowsQuarantined: failed ? 0 : q, progressDone: rows, progressTotal: rows,
        currentStream: '', error: failed ? '就业系统接口连续 5 次返回 503 Service Unavailable，已重试 5 次，批次终止；断点已保存，下次从 after_id=ry-88213 继续。' : '',
      })
    }
  }
  const jobById = (id) => jobs.find((j) => String(j.id) === String(id))
  const lastBatch = (job) => [...batches].reverse().find((b) => b.jobId === job.id) ?? null
  const jobView = (job) => ({ ...job, lastBatch: lastBatch(job) })

  // The server's rules (src/modules/datacenter/quality.cc).
  const RULES = [
    ['validity.id', '身份证号有效', 'validity'], ['consistency.birth_id', '出生日期与身份证号一致', 'consistency'],
    ['completeness.township', '人员所属乡镇（区划）已填写', 'completeness'], ['validity.code', '代码值可映射到标准代码', 'validity'],
    ['validity.amount', '金额有效', 'validity'], ['validity.date', '日期、年月有效', 'validity'],
    ['completeness.required', '必填字段完整', 'completeness'], ['consistency.gender_id', '性别与身份证号一致', 'consistency'],
    ['consistency.cross_system', '跨系统人员信息一致', 'consistency'], ['timeliness.lag', '源变更 30 天内采集', 'timeliness'],
  ]
  function qualityOf(batch) {
    const r = rng(Number(batch.id))
    return RULES.map(([rule, name, dimension]) => {
      const checked = batch.rowsRead
      const failed = rule === 'validity.id' ? batch.rowsQuarantined : Math.floor(r() * r() * checked * 0.03)
      return { rule, name, dimension, checked, failed, score: checked ? Math.round((1 - failed / checked) * 1000) / 10 : 100 }
    })
  }

  const qReasons = [
    ['ID_CHECKSUM', '身份证号校验位错误：', 'id'], ['BAD_DATE', '日期无效：', 'date'], ['BAD_AMOUNT', '金额无效：', 'amount'],
    ['BAD_PERIOD', '年月（所属期）无效：', 'period'], ['BAD_NUMBER', '数值无效：', 'mobile'], ['BAD_GENDER', '性别无效：', 'gender'],
  ]
  const quarantine = []
  let qSeq = 50000
  const recentBatches = batches.slice(-24)
  for (let i = 0; i < 36; i++) {
    const b = recentBatches[i % recentBatches.length]
    const job = jobById(b.jobId)
    const p = persons[(i * 7) % persons.length]
    const [code, prefix, kind] = qReasons[i % qReasons.length]
    const badId = `${p.idNumber.slice(0, 17)}${p.idNumber[17] === '1' ? '2' : '1'}`
    let record
    let stream
    let bad
    if (job.system === 'jubao') {
      stream = `jubao/jfmx_d${String(14 - (i % 10)).padStart(2, '0')}.csv`
      record = { 流水号: `JF2026${String(10000 + i)}`, 个人编号: `JB${String(p.id).padStart(10, '0')}`, 身份证号: kind === 'id' ? badId : p.idNumber,
        缴费年度: kind === 'period' ? '2026年13月' : '2026', 缴费档次: '3', 个人缴费: kind === 'amount' ? '3OO.00' : '300.00', 政府补贴: '40.00', 到账日期: kind === 'date' ? '2026-02-30' : '2026-03-15', 操作: 'I' }
      bad = { id: record.身份证号, date: record.到账日期, amount: record.个人缴费, period: record.缴费年度 }[kind]
    } else if (job.system === 'shebao') {
      stream = `shebao.db:ac01`
      record = { aac001: String(p.id + 4000000), aac002: kind === 'id' ? badId : p.idNumber, aac003: p.name, aac004: kind === 'gender' ? '男的' : p.gender,
        aac006: kind === 'date' ? '19800231' : p.birthDate.replace(/-/g, ''), aab301: p.divisionCode, aae005: kind === 'mobile' ? '1380000' : p.mobile, aae036: '20260912083015' }
      bad = { id: record.aac002, gender: record.aac004, date: record.aac006, mobile: record.aae005 }[kind]
    } else if (job.system === 'jiancha') {
      stream = `jiancha/cases_d${String(10 + (i % 5)).padStart(2, '0')}.csv`
      record = { 案件编号: `DZJC2026-0${100 + i}`, 案件类型: '投诉', 被投诉单位: units[i % units.length].name, 投诉人姓名: p.name, 投诉人身份证号: kind === 'id' ? badId : p.idNumber,
        涉及金额: kind === 'amount' ? '12..5' : '18600.00', 登记日期: kind === 'date' ? '2026/13/02' : '2026-06-11', 状态: '已登记' }
      bad = { id: record.投诉人身份证号, amount: record.涉及金额, date: record.登记日期 }[kind]
    } else {
      stream = job.system === 'jibao' ? 'jibao/personnel_d02.xlsx#在编人员' : 'jiuye:/api/v1/persons'
      record = { sfzh: kind === 'id' ? badId : p.idNumber, xm: p.name, xb: kind === 'gender' ? 'X' : 'M', csrq: kind === 'date' ? '1980/2/30' : p.birthDate, xzqh: p.divisionCode,
        sjhm: kind === 'mobile' ? '139123' : p.mobile }
      bad = { id: record.sfzh, gender: record.xb, date: record.csrq, mobile: record.sjhm }[kind]
    }
    const reasonCode = bad === undefined ? 'ID_CHECKSUM' : code
    const status = i < 28 ? 'open' : i < 31 ? 'fixed' : i < 34 ? 'reprocessed' : 'discarded'
    quarantine.push({
      id: ++qSeq, jobId: job.id, batchId: b.id, system: job.system, stream, line: int(2, 4000), srcKey: Object.values(record)[0],
      record, reasonCode, status,
      reason: bad === undefined ? `身份证号校验位错误：身份证号「${record.sfzh ?? record.aac002 ?? ''}」` : `${prefix}${Object.keys(record).find((k) => record[k] === bad) ?? ''}「${bad}」`,
      fixed: status === 'fixed' || status === 'reprocessed' ? { ...record } : null, updatedAt: b.finishedAt + (status === 'open' ? 0 : DAY),
      updatedBy: status === 'open' ? '' : 'head_shebao',
    })
  }

  // An unknown 居保 参保状态 code (the real reason text of dialect_common.cc Code): fixed by a
  // new code map row (代码映射), then 重新处理.
  {
    const b = recentBatches[recentBatches.length - 1]
    const job = jobs.find((j) => j.system === 'jubao') ?? jobById(b.jobId)
    const p = persons[5]
    const record = { 个人编号: `JB${String(p.id).padStart(10, '0')}`, 身份证号: p.idNumber, 姓名: p.name, 性别: '男', 出生日期: p.birthDate,
      参保状态: '暂缓缴费', 参保日期: '2019-01-01', 所属乡镇: p.divisionCode, 操作: 'U' }
    quarantine.push({
      id: ++qSeq, jobId: job.id, batchId: b.id, system: 'jubao', stream: 'jubao/cbdj_d14.csv', line: 318, srcKey: record.个人编号, record,
      reasonCode: 'UNKNOWN_CODE', reason: '代码值没有映射：参保状态（代码集 enrolment_status）的源值「暂缓缴费」', status: 'open', fixed: null,
      updatedAt: b.finishedAt, updatedBy: '',
    })
  }

  // ---- code maps and the standard code sets (codemap.cc seeds, dictionary.cc code sets) --------------------
  const codeMaps = []
  const seedMaps = (system, codeSet, pairs) => pairs.forEach(([srcValue, stdValue]) => codeMaps.push({ system, codeSet, srcValue, stdValue, manual: false }))
  const genderPairs = [['男', '1'], ['女', '2'], ['男性', '1'], ['女性', '2'], ['1', '1'], ['2', '2'], ['9', '9'], ['0', '0'], ['M', '1'], ['F', '2'], ['m', '1'], ['f', '2']]
  for (const [system] of SYSTEMS) seedMaps(system, 'gender', genderPairs)
  seedMaps('jubao', 'enrolment_status', [['正常缴费', '1'], ['暂停', '2'], ['终止', '3']])
  seedMaps('jubao', 'payment_status', [['已发放', 'paid'], ['暂停', 'suspended'], ['退回', 'refunded']])
  seedMaps('shebao', 'enrolment_status', [['1', '1'], ['2', '2'], ['3', '3']])
  seedMaps('shebao', 'insurance_type', [['110', '110'], ['210', '210'], ['310', '310'], ['410', '410'], ['510', '510']])
  seedMaps('shebao', 'payment_status', [['1', 'paid'], ['0', 'suspended'], ['2', 'refunded']])
  seedMaps('shebao', 'arrival_flag', [['1', 'paid'], ['0', 'due']])
  seedMaps('shebao', 'benefit_type', [['11', 'pension_employee'], ['21', 'unemployment'], ['41', 'work_injury'], ['91', 'funeral'], ['92', 'survivor']])
  seedMaps('shebao', 'unit_type', [['10', 'enterprise'], ['30', 'organ'], ['50', 'institution'], ['60', 'individual'], ['90', 'other']])
  seedMaps('jiuye', 'employment_event_type', [['就业登记', 'employment_registration'], ['失业登记', 'unemployment_registration'], ['就业困难人员认定', 'hard_to_employ'],
    ['职业培训', 'training'], ['补贴', 'subsidy'], ['创业担保贷款', 'startup_loan'], ['就业见习', 'internship']])
  seedMaps('jiancha', 'case_status', [['已登记', 'received'], ['已立案', 'filed'], ['审理中', 'hearing'], ['调解结案', 'mediated'], ['已结案', 'closed'], ['已撤回', 'withdrawn']])
  seedMaps('jiancha', 'case_type', [['投诉', 'complaint'], ['举报', 'report'], ['仲裁', 'arbitration']])
  codeMaps.push({ system: 'jubao', codeSet: 'enrolment_status', srcValue: '中断', stdValue: '2', manual: true })
  /** An open UNKNOWN_CODE item whose source value has been mapped since (reprocess then passes). */
  const mappedNow = (item) => {
    const m = item.reasonCode === 'UNKNOWN_CODE' && item.reason.match(/([a-z_]+）)的源值「([^」]*)」$/)
    return !!m && codeMaps.some((x) => x.system === item.system && `${x.codeSet}）` === m[1] && x.srcValue === m[2])
  }
  const CODE_SETS = [
    ['gender', '性别', 'GB/T 2261.1-2003', '2003', [['0', '未知的性别'], ['1', '男性'], ['2', '女性'], ['9', '未说明的性别']]],
    ['insurance_type', '险种', '人社部社会保险业务代码（AAE140）', '2026.1', [['110', '企业职工基本养老保险'], ['120', '机关事业单位养老保险'], ['170', '城乡居民基本养老保险'],
      ['210', '失业保险'], ['310', '职工基本医疗保险'], ['410', '工伤保险'], ['510', '生育保险']]],
    ['enrolment_status', '参保状态', '人社部社会保险业务代码（AAC008）', '2026.1', [['1', '参保缴费'], ['2', '暂停缴费（中断）'], ['3', '终止参保']]],
    ['payment_status', '缴费/发放状态', '本平台', '2026.1', [['paid', '已到账'], ['due', '应缴未缴'], ['refunded', '已退回'], ['suspended', '暂停']]],
    ['benefit_type', '待遇类别', '本平台', '2026.1', [['pension_employee', '职工基本养老金'], ['pension_institution', '机关事业单位养老金'], ['pension_resident', '城乡居民养老金'],
      ['unemployment', '失业保险金'], ['work_injury', '工伤保险待遇'], ['funeral', '丧葬补助金'], ['survivor', '抚恤金'], ['subsidy', '就业创业补贴']]],
    ['employment_event_type', '就业事件类别', '本平台', '2026.1', [['employment_registration', '就业登记'], ['unemployment_registration', '失业登记'],
      ['hard_to_employ', '就业困难人员认定'], ['training', '职业培训'], ['subsidy', '补贴'], ['startup_loan', '创业担保贷款'], ['internship', '就业见习']]],
    ['case_status', '案件状态', '本平台', '2026.1', [['received', '已登记'], ['filed', '已立案'], ['hearing', '审理中'], ['mediated', '调解结案'], ['closed', '已结案'], ['withdrawn', '已撤回']]],
    ['unit_type', '单位类型', '本平台', '2026.1', [['enterprise', '企业'], ['institution', '事业单位'], ['organ', '机关'], ['individual', '个体工商户'], ['other', '其他组织']]],
  ].map(([code, name, standard, version, values]) => ({ code, name, standard, version, values: values.map(([value, label]) => ({ value, label })) }))

  // ---- conflicts, exports --------------------------------------------------------------------
  const conflictsState = [
    { id: 701, personId: 100001, field: 'birth_date', values: [{ system: 'shebao', value: '1980-03-05' }, { system: 'jiuye', value: '1980-05-03' }], status: 'open', resolution: '' },
    { id: 702, personId: 100001, field: 'gender', values: [{ system: 'shebao', value: '1' }, { system: 'jiuye', value: '2' }], status: 'resolved', resolution: '1；核对户籍信息' },
    ...persons.slice(3, 10).map((p, i) => ({
      id: 703 + i, personId: p.id, field: i % 2 ? 'gender' : 'birth_date',
      values: i % 2
        ? [{ system: 'shebao', value: p.gender }, { system: i % 3 ? 'jubao' : 'jiuye', value: p.gender === '1' ? '2' : '1' }]
        : [{ system: 'shebao', value: p.birthDate }, { system: 'jiuye', value: p.birthDate.replace(/-(\d\d)$/, (_, d) => `-${String((Number(d) % 28) + 1).padStart(2, '0')}`) }],
      status: i < 6 ? 'open' : 'resolved', resolution: i < 6 ? '' : `${i % 2 ? p.gender : p.birthDate}；以社保登记为准`,
    })),
  ]
  let exportSeq = 880
  const exportsState = [
    ['head_shebao', '吴国强', 'shebao', { division: '511724001', from: '2026-01-01', to: '2026-08-31' }, '2026 年社保缴费基数年度核定，需导出竹阳街道参保职工缴费明细', 'pending', null],
    ['clerk_zhuyang', '周小燕', 'jubao', { division: '511724001', q: '' }, '竹阳街道 2026 年居保待遇资格认证，需导出本街道待遇领取人员名单', 'pending', null],
    ['head_shebao', '吴国强', 'jubao', { from: '2026-07-01', to: '2026-07-31' }, '居保 7 月缴费到账核对', 'approved', ['赵德明', '同意，注意数据安全，用后及时销毁']],
    ['clerk_dongliu', '郑丽', 'jiuye', { division: '511724002' }, '东柳街道就业困难人员帮扶台账更新', 'rejected', ['赵德明', '导出范围过大，请按社区分批申请']],
    ['head_shebao', '吴国强', 'shebao', { q: '欠费' }, '欠费单位清理专项行动', 'downloaded', ['赵德明', '同意']],
    ['demo', '张三（演示）', 'jiancha', { from: '2026-01-01' }, '2026 年上半年劳动监察案件统计分析', 'pending', null],
  ].map(([username, name, domain, filters, reason, status, decided], i) => ({
    id: ++exportSeq, domain, filters, reason, status, requester: username, requesterName: name,
    createdAt: now - (6 - i) * 0.7 * DAY, approver: decided ? 'leader' : '', approverName: decided?.[0] ?? '', decidedAt: decided ? now - (6 - i) * 0.5 * DAY : 0,
    decisionNote: decided?.[1] ?? '', rowCount: status === 'downloaded' ? int(120, 4800) : 0, downloadedAt: status === 'downloaded' ? now - DAY : 0,
  }))

  // ---- domain rows ----------------------------------------------------------------------------
  function domainRows(domain) {
    switch (domain) {
      case 'jubao':
        return persons.filter((p) => p.resident || p.id % 4 === 0).map((p, i) => ({ name: maskName(p.name), idNumber: maskId(p.idNumber), divisionCode: p.divisionCode,
          divisionName: p.divisionName, insuranceType: '170', status: i % 9 === 8 ? '2' : '1', startDate: `201${i % 9}-0${(i % 8) + 1}-01`,
          period: 202601, personalFen: pick([20000, 30000, 50000, 100000]), subsidyFen: pick([3000, 4000, 6000]), date: `2026-0${(i % 8) + 1}-1${i % 9}` }))
      case 'shebao':
        return persons.filter((p) => p.unit).flatMap((p) => monthsOf(p).filter((m) => m.period >= 202606 && m.insuranceType === '110').map((m) => ({
          name: maskName(p.name), idNumber: maskId(p.idNumber), unitName: p.unit.name, insuranceType: m.insuranceType, period: m.period, baseFen: m.baseFen,
          personalFen: m.personalFen, unitFen: m.unitFen, status: m.status, divisionCode: p.divisionCode, divisionName: p.divisionName,
          date: `${String(m.period).slice(0, 4)}-${String(m.period).slice(4)}-15` })))
      case 'jibao':
      case 'renshi':
        return persons.filter((p) => p.unit && ['institution', 'organ'].includes(p.unit.unitType) || p.id % 6 === 0).map((p, i) => ({
          name: maskName(p.name), idNumber: maskId(p.idNumber), unitName: p.unit?.name ?? units[6].name, post: pick(['专业技术岗位', '管理岗位', '工勤技能岗位']),
          salaryBaseFen: int(4800, 9800) * 100, entryDate: `20${String(5 + (i % 18)).padStart(2, '0')}-09-01`, divisionCode: p.divisionCode, divisionName: p.divisionName,
          date: `20${String(5 + (i % 18)).padStart(2, '0')}-09-01` }))
      case 'jiuye':
        return persons.flatMap((p, i) => (i % 2 ? [] : [{ name: maskName(p.name), idNumber: maskId(p.idNumber), eventType: pick(['employment_registration', 'unemployment_registration', 'training', 'subsidy', 'hard_to_employ']),
          eventDate: `2026-0${(i % 8) + 1}-${String((i % 27) + 1).padStart(2, '0')}`, unitName: p.unit?.name ?? '', amountFen: i % 3 ? 0 : int(5, 30) * 10000,
          divisionCode: p.divisionCode, divisionName: p.divisionName }])).map((r) => ({ ...r, date: r.eventDate }))
      case 'jiancha':
        return units.flatMap((u, i) => [0, 1].slice(0, 1 + (i % 2)).map((k) => ({ caseNo: `DZJC2026-0${String(31 + i * 2 + k).padStart(3, '0')}`, caseType: pick(['complaint', 'report', 'arbitration']),
          unitName: u.name, cause: pick(['拖欠工资', '未依法缴纳社会保险费', '超时加班', '未签订书面劳动合同']), amountFen: int(0, 60) * 100000, workers: int(1, 30),
          status: pick(['received', 'filed', 'hearing', 'closed']), receivedDate: `2026-0${(i % 8) + 1}-${String(10 + k).padStart(2, '0')}`,
          divisionCode: u.divisionCode, divisionName: u.divisionName }))).map((r) => ({ ...r, date: r.receivedDate }))
      case 'dangan':
        return persons.map((p, i) => ({ archiveNo: `DZDA${p.id}`, name: maskName(p.name), idNumber: maskId(p.idNumber), archiveType: p.resident ? '居保参保档案' : '职工社保档案',
          location: `档案室 ${(i % 6) + 1} 号柜`, receivedDate: `20${String(10 + (i % 15)).padStart(2, '0')}-07-10`, divisionCode: p.divisionCode, divisionName: p.divisionName }))
          .map((r) => ({ ...r, date: r.receivedDate }))
      default:
        return null
    }
  }

  // ---- running batches and the hub --------------------------------------------------------------
  function publish(topic, data) {
    const text = JSON.stringify({ topic, data })
    for (const c of clients) if (c.topics.has(topic)) c.send(text)
  }
  function startBatch(job, user) {
    const total = job.code === 'shebao_db' ? 24000 : job.method === 'push' ? 300 : 6000
    const b = {
      id: ++batchSeq, jobId: job.id, jobName: job.name, trigger: 'manual', triggeredBy: user.username, status: 'running', startedAt: Date.now(), finishedAt: null,
      rowsRead: 0, rowsInserted: 0, rowsUpdated: 0, rowsUnchanged: 0, rowsDeleted: 0, rowsQuarantined: 0, progressDone: 0, progressTotal: total,
      currentStream: job.method === 'db' ? 'shebao.db:ac43' : `${job.config.dir ?? job.config.baseUrl ?? job.system}/d15`, error: '',
    }
    batches.push(b)
    const step = Math.ceil(total / 40)
    const timer = setInterval(() => {
      b.progressDone = Math.min(total, b.progressDone + step)
      b.rowsRead = b.progressDone
      b.rowsInserted = Math.round(b.rowsRead * 0.06)
      b.rowsUpdated = Math.round(b.rowsRead * 0.1)
      b.rowsQuarantined = Math.floor(b.rowsRead / 900)
      b.rowsUnchanged = b.rowsRead - b.rowsInserted - b.rowsUpdated - b.rowsQuarantined
      if (b.progressDone >= total) {
        b.status = 'succeeded'
        b.finishedAt = Date.now()
        b.currentStream = ''
        clearInterval(timer)
      }
      publish('datacenter.batch', { batchId: b.id, jobId: b.jobId, status: b.status, progressDone: b.progressDone, progressTotal: b.progressTotal,
        rowsRead: b.rowsRead, rowsQuarantined: b.rowsQuarantined })
    }, 500)
    return b
  }

  /** Minimal RFC 6455 server for the hub protocol (text frames only). */
  function attachHub(server) {
    server.on('upgrade', (req, socket) => {
      if (!req.url?.startsWith('/api/v1/ws') || !req.headers['sec-websocket-key']) return socket.destroy()
      acceptUpgrade(req, socket)
      const client = {
        topics: new Set(),
        send: (text) => sendText(socket, text),
      }
      clients.add(client)
      readFrames(socket, (op, payload) => {
        if (op === 8) return socket.end(Buffer.from([0x88, 0]))
        if (op !== 1) return // pings and binary frames
        let msg
        try {
          msg = JSON.parse(payload.toString('utf8'))
        } catch {
          client.send(JSON.stringify({ op: 'error', message: '消息格式错误' }))
          return
        }
        if (msg.op === 'ping') client.send('{"op":"pong"}')
        else if (msg.op === 'subscribe') {
          client.topics.add(msg.topic)
          client.send(JSON.stringify({ op: 'subscribed', topic: msg.topic }))
        } else if (msg.op === 'unsubscribe') {
          client.topics.delete(msg.topic)
          client.send(JSON.stringify({ op: 'unsubscribed', topic: msg.topic }))
        }
      })
      const drop = () => clients.delete(client)
      socket.on('close', drop)
      socket.on('error', drop)
    })
  }

  // ---- the request handler -----------------------------------------------------------------------
  const page = (items, url) => {
    const p = Math.max(1, Number(url.searchParams.get('page') ?? 1))
    const size = Math.min(200, Math.max(1, Number(url.searchParams.get('size') ?? 20)))
    return { items: items.slice((p - 1) * size, p * size), total: items.length, page: p, size }
  }
  const normalizeId = (s) => s.replace(/[\uff10-\uff19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/[\s\u3000]/g, '').toUpperCase()

  async function handle(ctx) {
    const { req, res, path, url, body, sendJson, send, user, err, need, needReauth, can, log } = ctx
    const method = req.method
    const DC = '/api/v1/datacenter'
    const json = async () => (await body()) ?? {}
    const m = (re) => path.match(re)
    let mm
    if (path === '/api/v1/pii/unmask' && method === 'POST') {
      if (!need('pii:unmask')) return true
      if (!needReauth()) return true
      const b = await json()
      if (!b.reason || String(b.reason).trim().length < 2) return err(400, 'INVALID_ARGUMENT', '请填写查询事由') || true
      if (typeof b.objectId !== 'string') return err(400, 'INVALID_ARGUMENT', '字段 objectId 须为字符串') || true
      const p = b.objectType === 'dc_person' && persons.find((x) => String(x.id) === b.objectId)
      if (!p || !['name', 'idNumber', 'mobile'].includes(b.field)) return err(404, 'NOT_FOUND', '对象不存在或不在数据范围内') || true
      log('pii.unmask', 'success', 'dc_person', b.objectId, JSON.stringify({ field: b.field, reason: b.reason }))
      sendJson(res, 200, { value: p[b.field] })
      return true
    }
    if (!path.startsWith(`${DC}/`)) return false

    // ---- collection ----
    if (path === `${DC}/jobs` && method === 'GET') return need('datacenter:collect:read') && sendJson(res, 200, { items: jobs.map(jobView) }), true
    if ((mm = m(/^\/api\/v1\/datacenter\/jobs\/(\d+)(\/run)?$/))) {
      const job = jobById(mm[1])
      if (!job) return err(404, 'NOT_FOUND', '采集任务不存在'), true
      if (!mm[2] && method === 'GET') return need('datacenter:collect:read') && sendJson(res, 200, jobView(job)), true
      if (!mm[2] && method === 'PUT') {
        if (!need('datacenter:collect:manage')) return true
        const b = await json()
        const cron = String(b.cron ?? '').trim()
        if (job.method !== 'push' && !/^(\S+\s+){4,5}\S+$/.test(cron)) return err(400, 'BAD_CRON', `执行计划格式不正确：${cron}`), true
        if (cron.split(/\s+/).some((f) => !/^[\d*/,\-?LW#A-Za-z]+$/.test(f))) return err(400, 'BAD_CRON', `执行计划格式不正确：${cron}`), true
        Object.assign(job, { name: b.name ?? job.name, config: b.config ?? job.config, cron, enabled: !!b.enabled })
        log('datacenter.job.update', 'success', 'job', String(job.id), JSON.stringify({ cron, enabled: job.enabled }))
        return sendJson(res, 200, jobView(job)), true
      }
      if (mm[2] && method === 'POST') {
        if (!need('datacenter:collect:run')) return true
        if (batches.some((b) => b.jobId === job.id && b.status === 'running')) return err(409, 'JOB_RUNNING', '该任务已有批次在执行'), true
        const b = startBatch(job, user)
        log('datacenter.job.run', 'success', 'job', String(job.id), JSON.stringify({ batchId: b.id }))
        return sendJson(res, 202, { batchId: b.id }), true
      }
    }
    if (path === `${DC}/batches` && method === 'GET') {
      if (!need('datacenter:collect:read')) return true
      const jobId = url.searchParams.get('jobId')
      const status = url.searchParams.get('status')
      const items = [...batches].reverse().filter((b) => (!jobId || String(b.jobId) === jobId) && (!status || b.status === status))
      return sendJson(res, 200, page(items, url)), true
    }
    if ((mm = m(/^\/api\/v1\/datacenter\/batches\/(\d+)$/)) && method === 'GET') {
      if (!need('datacenter:collect:read')) return true
      const b = batches.find((x) => String(x.id) === mm[1])
      if (!b) return err(404, 'NOT_FOUND', '批次不存在'), true
      return sendJson(res, 200, { ...b, quality: qualityOf(b) }), true
    }
    if (path === `${DC}/quarantine` && method === 'GET') {
      if (!need('datacenter:collect:read')) return true
      const q = url.searchParams
      const items = [...quarantine].reverse().filter((x) =>
        (!q.get('jobId') || String(x.jobId) === q.get('jobId')) && (!q.get('batchId') || String(x.batchId) === q.get('batchId')) &&
        (!q.get('reason') || x.reasonCode === q.get('reason')) && (!q.get('status') || x.status === q.get('status')))
      return sendJson(res, 200, page(items, url)), true
    }
    if (path === `${DC}/quarantine/reprocess` && method === 'POST') {
      if (!need('datacenter:quarantine:fix')) return true
      const ids = ((await json()).ids ?? []).map(String)
      const stillFailing = []
      let reprocessed = 0
      for (const item of quarantine.filter((x) => ids.includes(String(x.id)) && (x.status === 'open' || x.status === 'fixed'))) {
        if (item.status === 'fixed' || mappedNow(item)) {
          item.status = 'reprocessed'
          item.updatedAt = Date.now()
          item.updatedBy = user.username
          reprocessed++
        } else stillFailing.push({ id: item.id, reasonCode: item.reasonCode, reason: item.reason })
      }
      log('datacenter.quarantine.reprocess', 'success', 'quarantine', ids.join(','), JSON.stringify({ reprocessed, stillFailing: stillFailing.length }))
      return sendJson(res, 200, { reprocessed, stillFailing }), true
    }
    if ((mm = m(/^\/api\/v1\/datacenter\/quarantine\/(\d+)(\/discard)?$/))) {
      const item = quarantine.find((x) => String(x.id) === mm[1])
      if (!item) return err(404, 'NOT_FOUND', '问题数据不存在'), true
      if (!need('datacenter:quarantine:fix')) return true
      if (!['open', 'fixed'].includes(item.status)) return err(400, 'FAILED_PRECONDITION', '该记录已处理'), true
      const b = await json()
      if (mm[2] && method === 'POST') {
        if (!b.note?.trim()) return err(400, 'INVALID_ARGUMENT', '请填写作废说明'), true
        Object.assign(item, { status: 'discarded', updatedAt: Date.now(), updatedBy: user.username })
        log('datacenter.quarantine.discard', 'success', 'quarantine', String(item.id), b.note)
        return send(res, 204), true
      }
      if (!mm[2] && method === 'PUT') {
        if (!b.record || typeof b.record !== 'object') return err(400, 'INVALID_ARGUMENT', '缺少 record'), true
        Object.assign(item, { fixed: { ...item.record, ...b.record }, status: 'fixed', updatedAt: Date.now(), updatedBy: user.username })
        return sendJson(res, 200, item), true
      }
    }
    if (path === `${DC}/quality` && method === 'GET') {
      if (!need('datacenter:quality:read')) return true
      const days = Math.min(365, Number(url.searchParams.get('days') ?? 30))
      const since = Date.now() - days * DAY
      const systems = SYSTEMS.map(([system, name]) => {
        const bs = batches.filter((b) => jobById(b.jobId).system === system && b.startedAt >= since && b.status !== 'running')
        const scored = bs.map((b) => {
          const q = qualityOf(b)
          return { batchId: b.id, at: b.startedAt, score: Math.round(q.reduce((n, r) => n + r.score, 0) / q.length * 10) / 10 - (b.status === 'failed' ? 12 : 0) }
        })
        const base = { jubao: [91, 96, 88, 93], shebao: [97, 98, 94, 99], jibao: [84, 90, 86, 72], jiuye: [93, 95, 89, 81], jiancha: [88, 92, 95, 90] }[system]
        const dimensions = { completeness: base[0], validity: base[1], consistency: system === 'jiancha' ? null : base[2], timeliness: system === 'jubao' ? null : base[3] }
        const known = Object.values(dimensions).filter((v) => v !== null)
        return { system, name, score: Math.round(known.reduce((n, v) => n + v, 0) / known.length), dimensions, batches: scored }
      })
      const only = url.searchParams.get('system')
      const checkedBy = { shebao: 186000, jubao: 52000, jibao: 9800, jiuye: 23800, jiancha: 460 }
      const rules = RULES.map(([rule, name, dimension], i) => {
        const checked = only ? checkedBy[only] ?? 0 : Object.values(checkedBy).reduce((n, v) => n + v, 0)
        const failed = Math.floor(checked * (((i * 37 + (only ?? '').length * 11) % 23) / 2300))
        return { rule, name, dimension, checked, failed, score: checked ? Math.round((1 - failed / checked) * 1000) / 10 : 100 }
      })
      return sendJson(res, 200, { systems, rules }), true
    }
    if (path === `${DC}/codemaps` && method === 'GET') {
      if (!need('datacenter:collect:read')) return true
      const system = url.searchParams.get('system')
      const codeSet = url.searchParams.get('codeSet')
      const items = codeMaps.filter((x) => (!system || x.system === system) && (!codeSet || x.codeSet === codeSet))
        .sort((a, b) => a.system.localeCompare(b.system) || a.codeSet.localeCompare(b.codeSet) || (a.srcValue < b.srcValue ? -1 : a.srcValue > b.srcValue ? 1 : 0))
      return sendJson(res, 200, { items }), true
    }
    if (path === `${DC}/codemaps` && method === 'PUT') {
      if (!need('datacenter:collect:manage')) return true
      const b = await json()
      const str = (v) => (typeof v === 'string' ? v : '')
      const [system, codeSet, srcValue, stdValue] = [str(b.system), str(b.codeSet), str(b.srcValue), str(b.stdValue)]
      const bytes = (v) => Buffer.byteLength(v, 'utf8')
      if (!SYSTEMS.some(([c]) => c === system)) return err(400, 'INVALID_ARGUMENT', '未知的源系统 system'), true
      if (!codeSet || bytes(codeSet) > 64 || bytes(srcValue) > 64 || !stdValue || bytes(stdValue) > 64) {
        return err(400, 'INVALID_ARGUMENT', 'codeSet、stdValue 须为 1–64 字节，srcValue 至多 64 字节'), true
      }
      const row = codeMaps.find((x) => x.system === system && x.codeSet === codeSet && x.srcValue === srcValue)
      if (row) Object.assign(row, { stdValue, manual: true })
      else codeMaps.push({ system, codeSet, srcValue, stdValue, manual: true })
      log('datacenter.codemap.update', 'success', 'dc_code_map', `${system}/${codeSet}`, JSON.stringify({ srcValue, stdValue }))
      return send(res, 204), true
    }
    if (path === `${DC}/dictionary/codesets` && method === 'GET') {
      if (!can('datacenter:dict:read') && !can('datacenter:collect:read')) return err(403, 'PERMISSION_DENIED', '没有权限：datacenter:dict:read 或 datacenter:collect:read'), true
      return sendJson(res, 200, { version: '2026.1', items: CODE_SETS }), true
    }
    if (path === `${DC}/conflicts` && method === 'GET') {
      if (!need('datacenter:person:read') || !need('datacenter:conflict:resolve')) return true
      const status = url.searchParams.get('status')
      const items = conflictsState.filter((c) => !status || c.status === status).map((c) => {
        const p = persons.find((x) => x.id === c.personId)
        return { ...c, personName: p.name, idNumber: maskId(p.idNumber) }
      })
      return sendJson(res, 200, page(items, url)), true
    }
    if ((mm = m(/^\/api\/v1\/datacenter\/conflicts\/(\d+)\/resolve$/)) && method === 'POST') {
      if (!need('datacenter:conflict:resolve')) return true
      const c = conflictsState.find((x) => String(x.id) === mm[1])
      if (!c) return err(404, 'NOT_FOUND', '冲突不存在'), true
      const b = await json()
      if (!c.values.some((v) => v.value === b.value)) return err(400, 'INVALID_ARGUMENT', '所选值不在各系统取值中'), true
      c.status = 'resolved'
      c.resolution = b.note ? `${b.value}；${b.note}` : b.value
      log('datacenter.conflict.resolve', 'success', 'conflict', String(c.id), JSON.stringify({ value: b.value, note: b.note }))
      return send(res, 204), true
    }

    // ---- queries ----
    if (path === `${DC}/search` && method === 'GET') {
      if (!can('datacenter:person:read') && !can('datacenter:unit:read')) return err(403, 'PERMISSION_DENIED', '需要人员或单位查询权限'), true
      const q = (url.searchParams.get('q') ?? '').trim()
      const id = normalizeId(q)
      let ps = []
      let us = []
      if (/^\d{15}$|^\d{17}[\dX]$/.test(id)) ps = persons.filter((p) => p.idNumber === id || p.idNumber.slice(0, 6) + p.idNumber.slice(8, 17) === id)
      else if ((mm = q.match(/^(\S+)\s+(\d{4}-\d{2}-\d{2})$/))) ps = persons.filter((p) => p.name === mm[1] && p.birthDate === mm[2])
      else if (/^[0-9A-Z]{18}$/.test(id)) us = units.filter((u) => u.creditCode === id)
      else if (/^\d{8,12}$/.test(id)) us = units.filter((u) => u.unitNo === id)
      else {
        us = units.filter((u) => u.name.includes(q))
        ps = q.length >= 2 ? persons.filter((p) => p.name === q) : []
      }
      log('datacenter.search', 'success', 'search', '', q.replace(/\d{6}(\d{8})/, '******$1'))
      return sendJson(res, 200, { persons: can('datacenter:person:read') ? ps.map(personHit) : [], units: can('datacenter:unit:read') ? us.map(unitHit) : [] }), true
    }
    if ((mm = m(/^\/api\/v1\/datacenter\/persons\/(\d+)(\/contributions)?$/)) && method === 'GET') {
      if (!need('datacenter:person:read')) return true
      const p = persons.find((x) => String(x.id) === mm[1])
      if (!p) return err(404, 'NOT_FOUND', '人员不存在或不在数据范围内'), true
      if (!mm[2]) {
        log('datacenter.person.read', 'success', 'person', maskId(p.idNumber), '')
        return sendJson(res, 200, person360(p, user)), true
      }
      const type = url.searchParams.get('insuranceType')
      const from = Number(url.searchParams.get('from') || 0)
      const to = Number(url.searchParams.get('to') || 0)
      const months = monthsOf(p).filter((x) => (!type || x.insuranceType === type) && (!from || x.period >= from) && (!to || x.period <= to))
      const gaps = type ? gapsOf(months) : [...new Set(months.map((x) => x.insuranceType))].flatMap((t) => gapsOf(months.filter((x) => x.insuranceType === t)).map((g) => ({ ...g, insuranceType: t })))
      return sendJson(res, 200, { months, gaps, arrearsFen: months.filter((x) => x.status === 'due').reduce((n, x) => n + x.personalFen + x.unitFen, 0) }), true
    }
    if ((mm = m(/^\/api\/v1\/datacenter\/units\/(\d+)(\/roster)?$/)) && method === 'GET') {
      if (!need('datacenter:unit:read')) return true
      const u = units.find((x) => String(x.id) === mm[1])
      if (!u) return err(404, 'NOT_FOUND', '单位不存在或不在数据范围内'), true
      const { view, roster } = unit360(u, user)
      if (!mm[2]) return sendJson(res, 200, view), true
      const filler = Array.from({ length: (view.roster?.total ?? 0) - roster.length }, (_, i) => {
        const birth = `19${70 + (i % 28)}-0${(i % 9) + 1}-1${i % 9}`
        return { personId: 0, name: maskName(`${SURNAMES[i % 20]}${GIVEN[(i * 3) % 20]}`), idNumber: maskId(idNumber(birth, 100 + i)),
          insuranceTypes: u.unitType === 'enterprise' ? ['110', '210', '310', '410'] : ['120', '310'], since: `20${String(10 + (i % 15)).padStart(2, '0')}-0${(i % 9) + 1}-01` }
      })
      const rows = [...roster.map((p) => ({ personId: p.id, name: maskName(p.name), idNumber: maskId(p.idNumber),
        insuranceTypes: [...new Set(monthsOf(p).map((x) => x.insuranceType))], since: `${String(monthsOf(p)[0]?.period ?? 201901).slice(0, 4)}-${String(monthsOf(p)[0]?.period ?? 201901).slice(4)}-01` })), ...filler]
      return sendJson(res, 200, page(rows, url)), true
    }
    if ((mm = m(/^\/api\/v1\/datacenter\/domain\/([a-z]+)$/)) && method === 'GET') {
      const key = DOMAIN_KEYS[mm[1]]
      if (!key) return err(404, 'NOT_FOUND', '业务领域不存在'), true
      if (!need(key)) return true
      const q = url.searchParams
      const kw = (q.get('q') ?? '').trim()
      const rows = domainRows(mm[1]).filter((r) =>
        (!q.get('division') || r.divisionCode === q.get('division')) &&
        (!q.get('from') || !r.date || r.date >= q.get('from')) && (!q.get('to') || !r.date || r.date <= q.get('to')) &&
        (!kw || Object.values(r).some((v) => typeof v === 'string' && v.includes(kw)))).map(({ date, ...r }) => r)
      return sendJson(res, 200, page(rows, url)), true
    }
    if (path === `${DC}/exports` && method === 'POST') {
      if (!need('datacenter:export:request')) return true
      const b = await json()
      if (!DOMAIN_KEYS[b.domain]) return err(400, 'INVALID_ARGUMENT', '业务领域不正确'), true
      if (!b.reason || String(b.reason).trim().length < 4) return err(400, 'INVALID_ARGUMENT', '请填写申请事由'), true
      const r = { id: ++exportSeq, domain: b.domain, filters: b.filters ?? {}, reason: b.reason, status: 'pending', requester: user.username,
        requesterName: user.displayName, createdAt: Date.now(), approver: '', approverName: '', decidedAt: 0, decisionNote: '', rowCount: 0, downloadedAt: 0 }
      exportsState.push(r)
      return sendJson(res, 201, r), true
    }
    const exportView = (r) => ({ ...r })
    if (path === `${DC}/exports` && method === 'GET') {
      if (!can('datacenter:export:request') && !can('datacenter:export:approve')) return err(403, 'PERMISSION_DENIED', '需要导出申请或审批权限'), true
      const items = [...exportsState].reverse().filter((r) => can('datacenter:export:approve') || r.requester === user.username).map(exportView)
      return sendJson(res, 200, page(items, url)), true
    }
    if ((mm = m(/^\/api\/v1\/datacenter\/exports\/(\d+)\/(approve|reject|download)$/))) {
      const r = exportsState.find((x) => String(x.id) === mm[1])
      if (!r) return err(404, 'NOT_FOUND', '导出申请不存在'), true
      if (mm[2] === 'download' && method === 'GET') {
        if (!need('datacenter:export:request')) return true
        if (r.requester !== user.username) return err(404, 'NOT_FOUND', '没有该导出申请'), true
        if (r.status === 'downloaded') return err(422, 'FAILED_PRECONDITION', '该导出文件已下载过，每次批准只能下载一次'), true
        if (r.status !== 'approved') return err(422, 'FAILED_PRECONDITION', `该导出申请尚未批准（${r.status}）`), true
        Object.assign(r, { status: 'downloaded', rowCount: int(50, 3000), downloadedAt: Date.now() })
        log('data.export', 'success', 'export', String(r.id), r.domain)
        send(res, 200, Buffer.from('PK mock xlsx'), {
          'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          'Content-Disposition': `attachment; filename="export-${r.id}.xlsx"`,
        })
        return true
      }
      if (method === 'POST') {
        if (!need('datacenter:export:approve')) return true
        if (r.requester === user.username) return err(403, 'PERMISSION_DENIED', '不能审批本人提交的导出申请'), true
        if (r.status !== 'pending') return err(409, 'CONFLICT', `该导出申请已处理（${r.status}）`), true
        const b = await json()
        Object.assign(r, { status: mm[2] === 'approve' ? 'approved' : 'rejected', approver: user.username, approverName: user.displayName, decidedAt: Date.now(), decisionNote: b.note ?? '' })
        return sendJson(res, 200, exportView(r)), true
      }
    }
    return false
  }

  return { handle, attachHub }
}
