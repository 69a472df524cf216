// In-memory stand-in for the analytics API of docs/api/analytics.md, plugged
// into scripts/mock-identity.mjs as an extension by scripts/serve-dist.mjs
// --mock-api: cubes, the query language (rows × columns, filters in / not_in /
// eq / between at any level, sort, top-N, yoy / qoq / mom compare, thresholds,
// totals), XLSX export, saved views with pins, the workbench and the eight
// domain views.
//
// Not a reference implementation (the real engine is src/olap): deterministic
// fixture facts for the 31 townships of 大竹县 (src/core/division.cc) from
// 2023-01 to 2026-10, about 300,000 rows over nine cubes. Facts here are
// pre-aggregated, so "distinct persons" over a period is approximated as the
// largest monthly count in it (a stable population paying every month);
// everything else is summed exactly, and totals are computed, not summed.
// Data scope: a county-wide scope sees all; a township org sees its township;
// a domain without scope sees nothing; `scoped` says rows were left out.
import { deflateRawSync, crc32 } from 'node:zlib'

// ---- reference data ----------------------------------------------------------------
const COUNTY = '511724'
const TOWNSHIPS = [
  ['511724001', '竹阳街道', 3.2], ['511724002', '东柳街道', 2.6], ['511724003', '白塔街道', 2.4], ['511724101', '乌木镇', 1.0],
  ['511724102', '团坝镇', 1.1], ['511724103', '杨家镇', 1.2], ['511724104', '清河镇', 1.3], ['511724105', '柏林镇', 0.9],
  ['511724106', '石河镇', 1.4], ['511724107', '中华镇', 0.8], ['511724108', '石桥铺镇', 1.0], ['511724109', '观音镇', 1.5],
  ['511724110', '周家镇', 1.3], ['511724111', '石子镇', 1.1], ['511724112', '文星镇', 0.9], ['511724113', '妈妈镇', 0.8],
  ['511724114', '高穴镇', 0.9], ['511724115', '欧家镇', 1.0], ['511724116', '庙坝镇', 1.6], ['511724117', '清水镇', 1.0],
  ['511724118', '月华镇', 1.2], ['511724119', '高明镇', 0.9], ['511724120', '童家镇', 1.0], ['511724121', '天城镇', 0.8],
  ['511724125', '四合镇', 0.7], ['511724126', '永胜镇', 0.8], ['511724203', '朝阳乡', 0.5], ['511724214', '安吉乡', 0.5],
  ['511724218', '八渡乡', 0.4], ['511724220', '杨通乡', 0.5], ['511724231', '川主乡', 0.4],
]
const FIRST_MONTH = 202301
const LAST_MONTH = 202610

function addMonths(p, n) {
  const i = Math.floor(p / 100) * 12 + (p % 100) - 1 + n
  return Math.floor(i / 12) * 100 + (i % 12) + 1
}
const MONTHS = []
for (let p = FIRST_MONTH; p <= LAST_MONTH; p = addMonths(p, 1)) MONTHS.push(p)

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

// ---- dimensions ------------------------------------------------------------------------
// A dimension: levels (coarse → fine) and its finest members, each with its
// code path over the levels; labels of every code at every level.
function codeDim(name, label, levels, members) {
  // members: [{ path: [code per level], labels: [label per level] }]
  const labels = levels.map(() => new Map())
  for (const m of members) m.path.forEach((c, i) => labels[i].set(c, m.labels[i]))
  return { name, label, levels, members: members.map((m) => ({ path: m.path })), labels, kind: 'code', index: new Map(members.map((m, i) => [m.path[m.path.length - 1], i])) }
}
const flat = (name, label, levelName, levelLabel, pairs) =>
  codeDim(name, label, [{ name: levelName, label: levelLabel }], pairs.map(([c, l]) => ({ path: [c], labels: [l] })))
const tree = (name, label, levels, groups) =>
  codeDim(name, label, levels, groups.flatMap(([gc, gl, children]) => children.map(([c, l]) => ({ path: [gc, c], labels: [gl, l] }))))

const REGION = codeDim('region', '区域', [{ name: 'county', label: '县' }, { name: 'township', label: '乡镇' }],
  [...TOWNSHIPS.map(([c, l]) => ({ path: [COUNTY, c], labels: ['大竹县', l] })),
    // Rows of county-level bodies (县政务服务中心) are not attributed to a township.
    { path: [COUNTY, COUNTY], labels: ['大竹县', '县本级'] }])
const TIME = (() => {
  const members = MONTHS.map((p) => {
    const y = Math.floor(p / 100)
    const m = p % 100
    const q = Math.ceil(m / 3)
    return { path: [String(y), `${y}Q${q}`, String(p)], labels: [`${y}年`, `${y}年第${q}季度`, `${y}年${m}月`] }
  })
  const d = codeDim('time', '时间', [{ name: 'year', label: '年' }, { name: 'quarter', label: '季度' }, { name: 'month', label: '月' }], members)
  d.kind = 'month'
  return d
})()
const GENDER = flat('gender', '性别', 'gender', '性别', [['1', '男'], ['2', '女']])
const AGE_BANDS = [['00', '16岁以下'], ['16', '16-29岁'], ['30', '30-39岁'], ['40', '40-49岁'], ['50', '50-59岁'], ['60', '60-69岁'], ['70', '70岁及以上']]
const AGE = flat('age', '年龄段', 'band', '年龄段', AGE_BANDS)
const DOMAIN = flat('domain', '业务领域', 'domain', '业务领域',
  [['jubao', '居保'], ['shebao', '社保'], ['jibao', '机保'], ['jiuye', '就业'], ['jiancha', '劳动监察'], ['dangan', '档案'], ['renshi', '人事']])
const INSURANCE = tree('insurance', '险种', [{ name: 'scheme', label: '制度' }, { name: 'type', label: '险种' }], [
  ['jubao', '城乡居民养老保险', [['jubao_pension', '城乡居民基本养老保险']]],
  ['shebao', '企业职工社会保险', [['qiye_pension', '企业职工基本养老保险'], ['medical', '职工基本医疗保险'], ['unemployment', '失业保险'], ['injury', '工伤保险']]],
  ['jibao', '机关事业单位养老保险', [['jiguan_pension', '机关事业单位基本养老保险']]],
])
const SCHEME_OF = { jubao_pension: 'jubao', qiye_pension: 'shebao', medical: 'shebao', unemployment: 'shebao', injury: 'shebao', jiguan_pension: 'jibao' }
const PAY_STATUS = flat('status', '状态', 'status', '状态', [['paid', '已到账'], ['owed', '欠缴']])
const BENEFIT = tree('benefit', '待遇', [{ name: 'category', label: '类别' }, { name: 'type', label: '待遇类型' }], [
  ['pension', '养老待遇', [['jubao_basic', '居保基础养老金'], ['jubao_account', '居保个人账户养老金'], ['qiye_pension', '企业职工基本养老金'], ['jiguan_pension', '机关事业单位养老金']]],
  ['medical', '医疗待遇', [['medical_reimb', '职工医疗费用报销']]],
  ['unemployment', '失业待遇', [['unemp_benefit', '失业保险金']]],
])
const BENEFIT_DOMAIN = { jubao_basic: 'jubao', jubao_account: 'jubao', qiye_pension: 'shebao', jiguan_pension: 'jibao', medical_reimb: 'shebao', unemp_benefit: 'shebao' }
const PAYMENT_STATUS = flat('status', '状态', 'status', '状态', [['paid', '已发放'], ['suspended', '暂停发放']])
const ENROL_STATUS = flat('status', '状态', 'status', '状态', [['active', '参保缴费'], ['suspended', '暂停缴费'], ['ended', '终止参保']])
const EVENT = tree('event', '就业事件', [{ name: 'category', label: '类别' }, { name: 'type', label: '事件类型' }], [
  ['employment', '就业', [['new_job', '城镇新增就业'], ['flexible', '灵活就业登记']]],
  ['unemployment', '失业', [['unemployed_reg', '失业登记'], ['reemployment', '失业人员再就业']]],
  ['poverty', '扶贫', [['poverty_job', '脱贫劳动力务工'], ['public_post', '公益性岗位安置']]],
  ['startup', '创业', [['startup_loan', '创业担保贷款'], ['job_subsidy', '就业补贴']]],
])
const KIND = flat('kind', '案件类别', 'kind', '案件类别', [['inspection', '劳动保障监察'], ['arbitration', '劳动人事争议仲裁']])
const CASE_TYPE = flat('case_type', '案由', 'case_type', '案由', [['wage', '拖欠工资'], ['contract', '劳动合同'], ['insurance', '社会保险'], ['hours', '工时休假'], ['injury', '工伤待遇']])
const CASE_STATUS = flat('status', '状态', 'status', '状态', [['accepted', '已受理'], ['processing', '办理中'], ['closed', '已结案']])
const OUTLET = flat('outlet', '网点', 'outlet', '网点', [['000', '县政务服务中心人社窗口'], ...TOWNSHIPS.map(([c, l]) => [c.slice(6), `${l}便民服务中心`])])
const ITEM = tree('item', '事项', [{ name: 'category', label: '业务类别' }, { name: 'item', label: '事项' }], [
  ['enrol', '参保登记', [['enrol_new', '参保登记'], ['enrol_change', '参保信息变更']]],
  ['transfer', '关系转移', [['transfer_in', '养老保险关系转入'], ['transfer_out', '养老保险关系转出']]],
  ['retire', '待遇申领', [['retire_approve', '退休审批'], ['pension_claim', '居保待遇申领']]],
  ['card', '社保卡', [['card_apply', '社保卡申领'], ['card_loss', '社保卡挂失补换']]],
  ['info', '信息维护', [['info_update', '个人信息维护'], ['info_query', '信息查询打印']]],
  ['jobs', '就业服务', [['job_reg', '就业失业登记'], ['subsidy_apply', '就业补贴申领']]],
])
const CHANNEL = flat('channel', '渠道', 'channel', '渠道', [['window', '窗口'], ['online', '网上'], ['kiosk', '自助终端']])
const ARCHIVE_TYPE = flat('archive_type', '档案类型', 'archive_type', '档案类型', [['cadre', '干部人事档案'], ['worker', '职工档案'], ['flow', '流动人员档案'], ['business', '业务档案']])
const POST = flat('post', '岗位', 'post', '岗位', [['manage', '管理岗位'], ['tech', '专业技术岗位'], ['skill', '工勤技能岗位'], ['civil', '参照公务员法管理']])

// ---- cubes -------------------------------------------------------------------------------
// Each cube: dims (in row order), value columns, measures, the data-scope
// domain (a dim name or a fixed domain) and a generator of rows
// (dims: finest codes; vals: numbers).
const M = (name, label, unit, agg, extra = {}) => ({ name, label, unit, agg, ...extra })
const seasonal = (m, amp) => 1 + amp * Math.sin(((m % 100) / 12) * Math.PI * 2)
const growth = (i) => 1 + 0.0045 * i
const pick = (r, weights) => {
  let x = r() * weights.reduce((s, w) => s + w, 0)
  for (let i = 0; i < weights.length; i++) if ((x -= weights[i]) <= 0) return i
  return weights.length - 1
}
const AGE_W = { jubao_pension: [0, 1.2, 1.5, 1.9, 2.2, 0.2, 0], default: [0, 2.2, 2.4, 2.1, 1.4, 0.15, 0] }
/** The shock of the demo warnings: fewer 白塔街道 payers in the last month (居保 against its seasonal rise), 石河镇 3% more. */
const shock = (town, month, type) =>
  month !== LAST_MONTH ? 1 : town === '511724003' ? (type === 'jubao_pension' ? 0.87 : 0.93) : town === '511724106' ? 1.03 : 1

function buildCubes() {
  const cubes = []
  const r = rng(5117241)
  const forEachTown = (fn) => TOWNSHIPS.forEach(([code, , w], ti) => fn(code, w, ti))

  // 缴费
  cubes.push({
    name: 'contribution', label: '缴费', dims: [REGION, TIME, GENDER, AGE, INSURANCE, PAY_STATUS, DOMAIN], domainDim: 'domain',
    cols: ['records', 'persons', 'amount', 'personal', 'unit_part', 'subsidy'],
    measures: [M('records', '笔数', 'count', 'sum', { col: 'records' }), M('persons', '缴费人数', 'person', 'distinct', { col: 'persons' }),
      M('amount', '缴费金额', 'fen', 'sum', { col: 'amount' }), M('personal', '个人缴费', 'fen', 'sum', { col: 'personal' }),
      M('unit_part', '单位缴费', 'fen', 'sum', { col: 'unit_part' }), M('subsidy', '政府补贴', 'fen', 'sum', { col: 'subsidy' }),
      M('avg_amount', '人均缴费', 'fen', 'ratio', { num: 'amount', den: 'persons' })],
    gen(add) {
      const base = { jubao_pension: 620, qiye_pension: 160, medical: 190, unemployment: 120, injury: 130, jiguan_pension: 25 }
      const pay = { jubao_pension: [20000, 0, 4000], qiye_pension: [48000, 96000, 0], medical: [12000, 36000, 0], unemployment: [1500, 3500, 0], injury: [0, 2600, 0], jiguan_pension: [62000, 124000, 0] }
      forEachTown((town, w) => MONTHS.forEach((month, mi) => {
        for (const type of Object.keys(base)) {
          const season = type === 'jubao_pension' ? seasonal(month, 0.35) : seasonal(month, 0.04)
          for (const g of ['1', '2']) {
            const ages = AGE_W[type] ?? AGE_W.default
            ages.forEach((aw, ai) => {
              if (!aw) return
              const n = Math.round(base[type] * w * aw * season * growth(mi) * shock(town, month, type) * (g === '1' ? 1.04 : 0.96) * (0.9 + r() * 0.2))
              if (n <= 0) return
              const owed = r() < 0.06
              const [p, u, s] = pay[type].map((x) => Math.round(n * x * (0.92 + r() * 0.16)))
              add([town, String(month), g, AGE_BANDS[ai][0], type, owed ? 'owed' : 'paid', SCHEME_OF[type]], [Math.round(n * 1.02), n, p + u + s, p, u, s])
            })
          }
        }
      }))
    },
  })

  // 待遇发放
  cubes.push({
    name: 'payment', label: '待遇发放', dims: [REGION, TIME, GENDER, AGE, BENEFIT, PAYMENT_STATUS, DOMAIN], domainDim: 'domain',
    cols: ['records', 'persons', 'amount'],
    measures: [M('records', '发放笔数', 'count', 'sum', { col: 'records' }), M('persons', '领取人数', 'person', 'distinct', { col: 'persons' }),
      M('amount', '发放金额', 'fen', 'sum', { col: 'amount' }), M('avg_amount', '人均发放', 'fen', 'ratio', { num: 'amount', den: 'persons' })],
    gen(add) {
      const base = { jubao_basic: 900, jubao_account: 780, qiye_pension: 420, jiguan_pension: 70, medical_reimb: 160, unemp_benefit: 18 }
      const each = { jubao_basic: 16300, jubao_account: 5200, qiye_pension: 265000, jiguan_pension: 452000, medical_reimb: 84000, unemp_benefit: 171000 }
      const ages = { medical_reimb: [3, 4, 5, 6], unemp_benefit: [1, 2, 3, 4] }
      forEachTown((town, w) => MONTHS.forEach((month, mi) => {
        for (const type of Object.keys(base)) {
          for (const g of ['1', '2']) {
            for (const ai of ages[type] ?? [5, 6]) {
              const n = Math.round(base[type] * w * (ai === 6 ? 0.8 : 1.2) * growth(mi) * (g === '2' ? 1.08 : 0.92) * (0.9 + r() * 0.2) / ((ages[type] ?? [5, 6]).length / 2))
              if (n <= 0) continue
              const amount = Math.round(n * each[type] * (month >= 202601 ? 1.02 : 1) * (0.95 + r() * 0.1))
              add([town, String(month), g, AGE_BANDS[ai][0], type, r() < 0.02 ? 'suspended' : 'paid', BENEFIT_DOMAIN[type]], [n, n, amount])
            }
          }
        }
      }))
    },
  })

  // 参保 (new enrolments by start month)
  cubes.push({
    name: 'enrolment', label: '参保', dims: [REGION, TIME, GENDER, INSURANCE, ENROL_STATUS, DOMAIN], domainDim: 'domain',
    cols: ['records', 'persons'],
    measures: [M('records', '参保记录', 'count', 'sum', { col: 'records' }), M('persons', '参保人数', 'person', 'sum', { col: 'persons' })],
    gen(add) {
      const base = { jubao_pension: 26, qiye_pension: 14, medical: 16, unemployment: 11, injury: 12, jiguan_pension: 2 }
      forEachTown((town, w) => MONTHS.forEach((month, mi) => {
        for (const type of Object.keys(base)) {
          for (const g of ['1', '2']) {
            const n = Math.round(base[type] * w * seasonal(month, 0.2) * growth(mi) * (0.7 + r() * 0.6))
            if (n <= 0) continue
            const st = pick(r, [90, 6, 4])
            add([town, String(month), g, type, ['active', 'suspended', 'ended'][st], SCHEME_OF[type]], [n, n])
          }
        }
      }))
    },
  })

  // 人口与覆盖 (snapshot)
  cubes.push({
    name: 'person', label: '人口与覆盖', dims: [REGION, GENDER, AGE], fixedDomain: 'jubao',
    cols: ['persons', 'aged16', 'jubao', 'shebao_pension', 'shebao_medical', 'jibao', 'employed'],
    measures: [M('persons', '人数', 'person', 'sum', { col: 'persons' }), M('jubao', '居保参保', 'person', 'sum', { col: 'jubao' }),
      M('shebao_pension', '职工养老参保', 'person', 'sum', { col: 'shebao_pension' }), M('shebao_medical', '职工医疗参保', 'person', 'sum', { col: 'shebao_medical' }),
      M('jibao', '机保参保', 'person', 'sum', { col: 'jibao' }), M('pension_coverage', '养老保险覆盖率', 'ratio', 'coverage'),
      M('employed', '就业人数', 'person', 'sum', { col: 'employed' })],
    gen(add) {
      const ageShare = [0.16, 0.15, 0.13, 0.15, 0.16, 0.14, 0.11]
      forEachTown((town, w) => {
        const cover = 0.84 + r() * 0.12 - (town.endsWith('231') || town.endsWith('218') ? 0.05 : 0)
        for (const g of ['1', '2']) {
          ageShare.forEach((s, ai) => {
            const n = Math.round(9200 * w * s * (0.95 + r() * 0.1))
            const adult = ai > 0
            const urban = town.startsWith('51172400')
            const sp = adult ? Math.round(n * (urban ? 0.38 : 0.16) * (ai >= 5 ? 0.7 : 1)) : 0
            const jb = adult ? Math.round(n * 0.06) : 0
            const ju = adult ? Math.max(0, Math.round(n * cover) - sp - jb) : 0
            add([town, g, AGE_BANDS[ai][0]], [n, adult ? n : 0, ju, sp, Math.round(sp * 1.15), jb, ai >= 1 && ai <= 4 ? Math.round(n * (urban ? 0.72 : 0.61)) : 0])
          })
        }
      })
    },
  })

  // 就业
  cubes.push({
    name: 'employment', label: '就业', dims: [REGION, TIME, GENDER, EVENT], fixedDomain: 'jiuye',
    cols: ['records', 'persons', 'amount'],
    measures: [M('records', '事件数', 'count', 'sum', { col: 'records' }), M('persons', '人数', 'person', 'sum', { col: 'persons' }),
      M('amount', '补贴/贷款金额', 'fen', 'sum', { col: 'amount' })],
    gen(add) {
      const base = { new_job: 34, flexible: 22, unemployed_reg: 9, reemployment: 7, poverty_job: 28, public_post: 4, startup_loan: 1.2, job_subsidy: 6 }
      const money = { startup_loan: 15000000, job_subsidy: 150000, public_post: 180000 }
      forEachTown((town, w) => MONTHS.forEach((month, mi) => {
        for (const type of Object.keys(base)) {
          for (const g of ['1', '2']) {
            const spring = type === 'poverty_job' || type === 'new_job' ? seasonal(addMonths(month, 1), 0.3) : 1
            const n = Math.round(base[type] * w * spring * growth(mi) * (0.6 + r() * 0.8))
            if (n <= 0) continue
            add([town, String(month), g, type], [n, n, Math.round(n * (money[type] ?? 0) * (0.9 + r() * 0.2))])
          }
        }
      }))
    },
  })

  // 劳动监察与仲裁
  cubes.push({
    name: 'case', label: '劳动监察与仲裁', dims: [REGION, TIME, KIND, CASE_TYPE, CASE_STATUS], fixedDomain: 'jiancha',
    cols: ['cases', 'workers', 'amount', 'closed', 'days', 'overdue'],
    measures: [M('cases', '案件数', 'count', 'sum', { col: 'cases' }), M('workers', '涉及人数', 'person', 'sum', { col: 'workers' }),
      M('amount', '涉案金额', 'fen', 'sum', { col: 'amount' }), M('closed', '结案数', 'count', 'sum', { col: 'closed' }),
      M('closure_rate', '结案率', 'ratio', 'ratio', { num: 'closed', den: 'cases' }), M('avg_days', '平均办理天数', 'day', 'ratio', { num: 'days', den: 'cases' }),
      M('overdue', '超期数', 'count', 'sum', { col: 'overdue' })],
    gen(add) {
      const base = { wage: 2.2, contract: 0.9, insurance: 0.7, hours: 0.4, injury: 0.5 }
      forEachTown((town, w) => MONTHS.forEach((month) => {
        for (const kind of ['inspection', 'arbitration']) {
          for (const type of Object.keys(base)) {
            const n = Math.round(base[type] * w * (kind === 'inspection' ? 1 : 0.6) * (month % 100 <= 2 || month % 100 === 12 ? 1.6 : 1) * (0.4 + r() * 1.2))
            if (n <= 0) continue
            const recent = month >= addMonths(LAST_MONTH, -2)
            const closed = recent ? Math.round(n * (0.2 + r() * 0.4)) : Math.round(n * (0.9 + r() * 0.1))
            const status = closed === n ? 'closed' : recent ? 'processing' : 'closed'
            add([town, String(month), kind, type, status], [n, Math.round(n * (type === 'wage' ? 8 : 2) * (0.6 + r())), Math.round(n * (type === 'wage' ? 4200000 : 1100000) * (0.5 + r())),
              closed, Math.round(n * (kind === 'inspection' ? 26 : 41) * (0.7 + r() * 0.6)), recent && r() < 0.3 ? 1 : 0])
          }
        }
      }))
    },
  })

  // 业务经办
  cubes.push({
    name: 'handling', label: '业务经办', dims: [REGION, OUTLET, TIME, ITEM, CHANNEL], fixedDomain: 'shebao',
    cols: ['accepted', 'completed', 'minutes', 'overdue'],
    measures: [M('accepted', '受理量', 'count', 'sum', { col: 'accepted' }), M('completed', '办结量', 'count', 'sum', { col: 'completed' }),
      M('completion_rate', '办结率', 'ratio', 'ratio', { num: 'completed', den: 'accepted' }), M('avg_minutes', '平均办理时长', 'minute', 'ratio', { num: 'minutes', den: 'completed' }),
      M('overdue', '超时', 'count', 'sum', { col: 'overdue' })],
    gen(add) {
      const items = { enrol_new: 30, enrol_change: 22, transfer_in: 6, transfer_out: 5, retire_approve: 8, pension_claim: 12, card_apply: 26, card_loss: 14, info_update: 18, info_query: 40, job_reg: 10, subsidy_apply: 7 }
      const chan = { window: 1, online: 0.7, kiosk: 0.35 }
      const outlets = [['000', COUNTY, 6], ...TOWNSHIPS.map(([c, , w]) => [c.slice(6), c, w])]
      outlets.forEach(([oc, town, w]) => MONTHS.forEach((month, mi) => {
        for (const [item, b] of Object.entries(items)) {
          for (const [ch, cw] of Object.entries(chan)) {
            const n = Math.round(b * w * cw * growth(mi) * (ch === 'online' ? 1 + mi * 0.02 : 1) * (0.6 + r() * 0.8) * 0.5)
            if (n <= 0) continue
            const done = Math.max(0, n - (r() < 0.3 ? 1 : 0))
            add([town, oc, String(month), item, ch], [n, done, Math.round(done * (ch === 'window' ? 14 : 6) * (0.6 + r() * 0.8)), r() < 0.04 ? 1 : 0])
          }
        }
      }))
    },
  })

  // 人事档案
  cubes.push({
    name: 'archive', label: '人事档案', dims: [REGION, TIME, ARCHIVE_TYPE], fixedDomain: 'dangan',
    cols: ['records', 'persons'],
    measures: [M('records', '档案数', 'count', 'sum', { col: 'records' }), M('persons', '人数', 'person', 'sum', { col: 'persons' })],
    gen(add) {
      const base = { cadre: 3, worker: 8, flow: 12, business: 40 }
      forEachTown((town, w) => MONTHS.forEach((month) => {
        for (const [t, b] of Object.entries(base)) {
          const n = Math.round(b * w * (0.9 + r() * 0.2))
          if (n > 0) add([town, String(month), t], [n, t === 'business' ? Math.round(n * 0.8) : n])
        }
      }))
    },
  })

  // 机关事业人员 (monthly roster)
  cubes.push({
    name: 'personnel', label: '机关事业人员', dims: [REGION, TIME, GENDER, POST], fixedDomain: 'renshi',
    cols: ['records', 'salary'],
    measures: [M('records', '人数', 'person', 'distinct', { col: 'records' }), M('salary', '工资基数合计', 'fen', 'sum', { col: 'salary' }),
      M('avg_salary', '平均工资基数', 'fen', 'ratio', { num: 'salary', den: 'records' })],
    gen(add) {
      const base = { manage: 22, tech: 64, skill: 9, civil: 14 }
      const pay = { manage: 620000, tech: 580000, skill: 410000, civil: 650000 }
      forEachTown((town, w) => {
        const fixed = Object.fromEntries(Object.entries(base).flatMap(([p, b]) => ['1', '2'].map((g) => [`${p}${g}`, Math.round(b * w * (g === '2' && p === 'tech' ? 1.3 : 0.85) * (0.8 + r() * 0.4))])))
        MONTHS.forEach((month, mi) => {
          for (const p of Object.keys(base)) for (const g of ['1', '2']) {
            const n = fixed[`${p}${g}`] + Math.floor(mi / 12)
            add([town, String(month), g, p], [n, Math.round(n * pay[p] * (month >= 202507 ? 1.04 : 1))])
          }
        })
      })
    },
  })

  for (const c of cubes) load(c)
  return cubes
}

/** Fills the cube's columns from its generator. */
function load(cube) {
  const dimCols = cube.dims.map(() => [])
  const valCols = cube.cols.map(() => [])
  cube.gen((codes, vals) => {
    codes.forEach((code, i) => {
      const idx = cube.dims[i].index.get(code)
      if (idx === undefined) throw new Error(`${cube.name}: unknown ${cube.dims[i].name} ${code}`)
      dimCols[i].push(idx)
    })
    vals.forEach((v, i) => valCols[i].push(v))
  })
  cube.dimCols = dimCols.map((c) => Uint16Array.from(c))
  cube.valCols = valCols.map((c) => Float64Array.from(c))
  cube.rowCount = dimCols[0].length
  cube.version = 1
  cube.refreshedAtMs = Date.now()
  cube.timeIdx = cube.dims.findIndex((d) => d.kind === 'month')
}

// ---- the query engine ------------------------------------------------------------------------
class QueryError extends Error {}
const fail = (message) => { throw new QueryError(message) }
const SHIFT = { yoy: 12, qoq: 3, mom: 1 }
const COMPARE_LEVELS = { yoy: ['year', 'quarter', 'month'], qoq: ['quarter', 'month'], mom: ['month'] }

/** Which rows of the cube the caller may aggregate, and whether any was left out. */
function scopeFilter(cube, user) {
  if (!user || user.permissions?.includes('*')) return { allowed: null, scoped: false }
  const domDim = cube.domainDim ? cube.dims.findIndex((d) => d.name === cube.domainDim) : -1
  const domains = domDim >= 0 ? cube.dims[domDim].members.map((m) => m.path[0]) : [cube.fixedDomain]
  const town = (user.divisionCode ?? '').slice(0, 9)
  const perDomain = new Map()
  for (const d of new Set(domains)) {
    const s = user.scopes?.[d]
    if (!s || s.kind === 'none' || s.kind === 'self') perDomain.set(d, 'none')
    else if (s.kind === 'all' || town.length < 9 || town.endsWith('000')) perDomain.set(d, 'all')
    else perDomain.set(d, town)
  }
  if ([...perDomain.values()].every((v) => v === 'all')) return { allowed: null, scoped: false }
  const regionCol = cube.dimCols[0]
  const allowed = new Uint8Array(cube.rowCount)
  let scoped = false
  for (let i = 0; i < cube.rowCount; i++) {
    const dom = domDim >= 0 ? cube.dims[domDim].members[cube.dimCols[domDim][i]].path[0] : cube.fixedDomain
    const rule = perDomain.get(dom)
    const townCode = REGION.members[regionCol[i]].path[1]
    const ok = rule === 'all' || (rule !== 'none' && townCode === rule)
    allowed[i] = ok ? 1 : 0
    if (!ok) scoped = true
  }
  return { allowed, scoped }
}

function validate(cube, q) {
  if (!q || typeof q !== 'object') fail('查询格式错误')
  const axis = (list, max, what) => {
    if (list === undefined) return []
    if (!Array.isArray(list) || list.length > max) fail(`${what}最多 ${max} 个维度`)
    return list.map((a) => {
      const di = cube.dims.findIndex((d) => d.name === a?.dim)
      if (di < 0) fail(`分析主题“${cube.label}”没有维度 ${a?.dim}`)
      const li = cube.dims[di].levels.findIndex((l) => l.name === a.level)
      if (li < 0) fail(`维度“${cube.dims[di].label}”没有层级 ${a.level}`)
      return { di, li, dim: a.dim, level: a.level }
    })
  }
  const rows = axis(q.rows, 4, '行')
  const cols = axis(q.columns, 2, '列')
  const used = [...rows, ...cols].map((a) => a.di)
  if (new Set(used).size !== used.length) fail('同一维度只能在行或列中出现一次')
  if (!Array.isArray(q.measures) || q.measures.length < 1 || q.measures.length > 8) fail('指标须为 1 至 8 个')
  const measures = q.measures.map((name) => cube.measures.find((m) => m.name === name) ?? fail(`分析主题“${cube.label}”没有指标 ${name}`))
  const filters = (q.filters ?? []).map((f) => {
    const di = cube.dims.findIndex((d) => d.name === f?.dim)
    if (di < 0) fail(`分析主题“${cube.label}”没有维度 ${f?.dim}`)
    const li = cube.dims[di].levels.findIndex((l) => l.name === f.level)
    if (li < 0) fail(`维度“${cube.dims[di].label}”没有层级 ${f.level}`)
    if (!['in', 'not_in', 'between', 'eq'].includes(f.op)) fail(`不支持的筛选条件 ${f.op}`)
    if (!Array.isArray(f.values) || f.values.some((v) => typeof v !== 'string') || f.values.length > 1000) fail('筛选值格式错误')
    if (f.op === 'between' && f.values.length !== 2) fail('区间筛选须给出开始和结束两个值')
    return { di, li, op: f.op, values: f.values }
  })
  if (q.sort && !['measure', 'key'].includes(q.sort.by)) fail('排序方式错误')
  if (q.sort?.by === 'measure' && !q.measures.includes(q.sort.measure)) fail('排序指标须在所选指标中')
  if (q.limit !== undefined && (!Number.isInteger(q.limit) || q.limit < 1 || q.limit > 10000)) fail('前 N 项须在 1 至 10000 之间')
  let compare = null
  if (q.compare) {
    const type = q.compare.type
    if (!SHIFT[type]) fail('对比方式须为同比、环比或季度环比')
    const t = [...rows, ...cols].find((a) => cube.dims[a.di].kind === 'month')
    if (!t || !COMPARE_LEVELS[type].includes(t.level)) fail('同比、环比需要时间维度在行或列中，且层级支持该对比')
    compare = type
  }
  const thresholds = (q.thresholds ?? []).map((t) => {
    const mi = q.measures.indexOf(t.measure)
    if (mi < 0) fail('预警规则的指标须在所选指标中')
    if (!['lt', 'gt', 'change_lt', 'change_gt'].includes(t.op)) fail('预警条件错误')
    if (t.op.startsWith('change') && !compare) fail('变化率预警需要同比或环比')
    if (!['info', 'warn', 'alarm'].includes(t.level)) fail('预警级别错误')
    if (typeof t.value !== 'number' || !Number.isFinite(t.value)) fail('预警阈值须为数字')
    return { ...t, mi }
  })
  return { rows, cols, measures, filters, compare, thresholds }
}

/** Per dimension, the finest members that pass the filters (time filters are applied per row, after a shift). */
function memberMasks(cube, filters) {
  const masks = cube.dims.map(() => null)
  for (const f of filters) {
    const dim = cube.dims[f.di]
    if (dim.kind === 'month') continue
    const mask = masks[f.di] ?? new Uint8Array(dim.members.length).fill(1)
    dim.members.forEach((m, i) => {
      if (!passes(m.path[f.li], f)) mask[i] = 0
    })
    masks[f.di] = mask
  }
  return masks
}
function passes(code, f) {
  if (f.op === 'in') return f.values.includes(code)
  if (f.op === 'eq') return code === f.values[0]
  if (f.op === 'not_in') return !f.values.includes(code)
  const [lo, hi] = [...f.values].sort()
  return code >= lo && code <= hi
}
const timeIndexOf = new Map(MONTHS.map((p, i) => [p, i]))

/** Per dimension and level: member index → dense id at that level, and the codes by id. */
function levelIds(dim) {
  if (dim._ids) return dim._ids
  dim._ids = dim.levels.map((_, li) => {
    const codes = []
    const pos = new Map()
    const ids = Int32Array.from(dim.members.map((m) => {
      const c = m.path[li]
      if (!pos.has(c)) { pos.set(c, codes.length); codes.push(c) }
      return pos.get(c)
    }))
    return { ids, codes }
  })
  return dim._ids
}

/**
 * Aggregates rows into cells, row totals, column totals and the grand total.
 * `shift` months moves each row forward (the previous period of a cell is
 * what moves into it); group keys are mixed-radix numbers of level ids.
 */
function aggregate(cube, plan, allowed, shift) {
  const masks = memberMasks(cube, plan.filters)
  const ti = cube.timeIdx
  const timeFilters = plan.filters.filter((f) => f.di === ti)
  const timeOk = ti >= 0 ? Uint8Array.from(TIME.members.map((m) => (timeFilters.every((f) => passes(m.path[f.li], f)) ? 1 : 0))) : null
  const axis = (list) => list.map((a) => {
    const { ids, codes } = levelIds(cube.dims[a.di])[a.li]
    return { di: a.di, ids, codes, radix: codes.length }
  })
  const rAx = axis(plan.rows)
  const cAx = axis(plan.cols)
  const nc = cube.cols.length
  const distinctCols = cube.measures.filter((m) => m.agg === 'distinct').map((m) => cube.cols.indexOf(m.col))
  const acc = () => ({ sums: new Float64Array(nc), months: distinctCols.length ? new Map() : null, n: 0 })
  const cells = new Map()
  const rowT = new Map()
  const colT = new Map()
  const grand = acc()
  const vals = cube.valCols
  const add = (a, i, month) => {
    a.n++
    for (let c = 0; c < nc; c++) a.sums[c] += vals[c][i]
    if (a.months) {
      let m = a.months.get(month)
      if (!m) a.months.set(month, (m = new Float64Array(nc)))
      for (const c of distinctCols) m[c] += vals[c][i]
    }
  }
  const keyOf = (ax, i, tIdx) => {
    let k = 0
    for (const x of ax) k = k * x.radix + x.ids[x.di === ti ? tIdx : cube.dimCols[x.di][i]]
    return k
  }
  const D = cube.dims.length
  for (let i = 0; i < cube.rowCount; i++) {
    if (allowed && !allowed[i]) continue
    let ok = true
    for (let d = 0; d < D; d++) if (masks[d] && !masks[d][cube.dimCols[d][i]]) { ok = false; break }
    if (!ok) continue
    let tIdx = -1
    if (ti >= 0) {
      tIdx = cube.dimCols[ti][i] + shift
      if (tIdx >= MONTHS.length || !timeOk[tIdx]) continue
    }
    const rk = keyOf(rAx, i, tIdx)
    const ck = keyOf(cAx, i, tIdx)
    const key = rk * 1e6 + ck
    let a = cells.get(key)
    if (!a) cells.set(key, (a = acc()))
    add(a, i, tIdx)
    let r = rowT.get(rk)
    if (!r) rowT.set(rk, (r = acc()))
    add(r, i, tIdx)
    let c = colT.get(ck)
    if (!c) colT.set(ck, (c = acc()))
    add(c, i, tIdx)
    add(grand, i, tIdx)
  }
  const decode = (ax, k) => {
    const out = new Array(ax.length)
    for (let j = ax.length - 1; j >= 0; j--) {
      out[j] = ax[j].codes[k % ax[j].radix]
      k = Math.floor(k / ax[j].radix)
    }
    return out
  }
  const rowKeys = new Map([...rowT.keys()].map((k) => [k, decode(rAx, k)]))
  const colKeys = new Map([...colT.keys()].map((k) => [k, decode(cAx, k)]))
  return { cells, rowT, colT, grand, rowKeys, colKeys, cellKey: (rk, ck) => rk * 1e6 + ck }
}

/** The value of a measure from an accumulator; null when no rows or division by zero. */
function valueOf(cube, m, a) {
  if (!a || !a.n) return null
  const col = (name) => cube.cols.indexOf(name)
  const base = (name) => {
    const def = cube.measures.find((x) => x.name === name)
    if (def && def.agg === 'distinct') return distinct(def.col)
    return a.sums[col(def?.col ?? name)]
  }
  const distinct = (c) => {
    const ci = col(c)
    let best = 0
    for (const v of a.months.values()) best = Math.max(best, v[ci])
    return a.months.size ? best : a.sums[ci]
  }
  switch (m.agg) {
    case 'sum': return a.sums[col(m.col)]
    case 'distinct': return distinct(m.col)
    case 'ratio': {
      const den = base(m.den)
      return den ? Math.round((base(m.num) / den) * 1e6) / 1e6 : null
    }
    case 'coverage': {
      const den = a.sums[col('aged16')]
      return den ? Math.round(((a.sums[col('jubao')] + a.sums[col('shebao_pension')] + a.sums[col('jibao')]) / den) * 1e6) / 1e6 : null
    }
    default: return null
  }
}

const labelOf = (dim, li, code) => dim.labels[li].get(code) ?? (dim.kind === 'month' ? timeLabel(li, code) : code || '未知')
function timeLabel(li, code) {
  if (li === 0) return `${code}年`
  if (li === 1) return `${code.slice(0, 4)}年第${code.slice(5)}季度`
  return `${code.slice(0, 4)}年${Number(code.slice(4))}月`
}

export function runQuery(cubes, q, user) {
  const started = process.hrtime.bigint()
  const cube = cubes.find((c) => c.name === q?.cube) ?? fail(`未知的分析主题 ${q?.cube}`)
  const plan = validate(cube, q)
  const { allowed, scoped } = scopeFilter(cube, user)
  const cur = aggregate(cube, plan, allowed, 0)
  const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0)
  const keyCmp = (x, y) => { for (let i = 0; i < x.length; i++) { const c = cmp(x[i], y[i]); if (c) return c } return 0 }
  let rowList = [...cur.rowKeys.entries()].sort((x, y) => keyCmp(x[1], y[1]))
  const colList = [...cur.colKeys.entries()].sort((x, y) => keyCmp(x[1], y[1]))
  if (!plan.rows.length && !rowList.length) rowList = [[0, []]]
  const cols = colList.length ? colList : [[0, []]]
  if (rowList.length * cols.length * plan.measures.length > 100000) fail('结果超过 100,000 个单元格，请增加筛选条件或减少维度')
  if (q.sort) {
    const dir = q.sort.dir === 'asc' ? 1 : -1
    if (q.sort.by === 'measure') {
      const m = cube.measures.find((x) => x.name === q.sort.measure)
      const v = (rk) => valueOf(cube, m, cur.rowT.get(rk))
      rowList.sort((x, y) => {
        const a = v(x[0])
        const b = v(y[0])
        if (a === null && b === null) return 0
        if (a === null) return 1
        if (b === null) return -1
        return (a - b) * dir || keyCmp(x[1], y[1])
      })
    } else {
      rowList.sort((x, y) => keyCmp(x[1], y[1]) * dir)
    }
  }
  if (q.limit) rowList = rowList.slice(0, q.limit)
  const vals = (a) => plan.measures.map((m) => valueOf(cube, m, a))
  const cells = rowList.map(([rk]) => cols.map(([ck]) => vals(cur.cells.get(cur.cellKey(rk, ck)))))
  const out = {
    cube: cube.name, version: cube.version, cached: false, elapsedUs: 0, scoped,
    rowDims: plan.rows.map((a) => ({ dim: a.dim, level: a.level, label: cube.dims[a.di].levels[a.li].label })),
    colDims: plan.cols.map((a) => ({ dim: a.dim, level: a.level, label: cube.dims[a.di].levels[a.li].label })),
    measures: plan.measures.map((m) => ({ name: m.name, label: m.label, unit: m.unit })),
    rows: rowList.map(([, k]) => ({ keys: k.map((code, i) => ({ code, label: labelOf(cube.dims[plan.rows[i].di], plan.rows[i].li, code) })) })),
    columns: cols.map(([, k]) => ({ keys: k.map((code, i) => ({ code, label: labelOf(cube.dims[plan.cols[i].di], plan.cols[i].li, code) })) })),
    cells,
  }
  if (plan.compare) {
    const prev = aggregate(cube, plan, allowed, SHIFT[plan.compare])
    out.prev = rowList.map(([rk]) => cols.map(([ck]) => vals(prev.cells.get(prev.cellKey(rk, ck)))))
    out.change = cells.map((row, r) => row.map((cell, c) => cell.map((v, m) => {
      const p = out.prev[r][c][m]
      return v === null || p === null || p === 0 ? null : Math.round(((v - p) / Math.abs(p)) * 1e6) / 1e6
    })))
  }
  if (q.totals) {
    out.rowTotals = rowList.map(([rk]) => vals(cur.rowT.get(rk)))
    out.colTotals = cols.map(([ck]) => vals(cur.colT.get(ck)))
    out.grandTotal = vals(cur.grand)
  }
  if (plan.thresholds.length) {
    out.warnings = []
    cells.forEach((row, r) => row.forEach((cell, c) => {
      for (const t of plan.thresholds) {
        const v = t.op.startsWith('change') ? out.change[r][c][t.mi] : cell[t.mi]
        if (v === null) continue
        const hit = (t.op === 'lt' || t.op === 'change_lt') ? v < t.value : v > t.value
        if (hit) out.warnings.push({ row: r, col: c, measure: t.measure, level: t.level, value: v, message: t.message ?? '' })
      }
    }))
  }
  out.elapsedUs = Number((process.hrtime.bigint() - started) / 1000n)
  return out
}

export function describe(cubes) {
  return {
    cubes: cubes.map((c) => ({
      name: c.name, label: c.label, rows: c.rowCount, version: c.version, refreshedAtMs: c.refreshedAtMs,
      dims: c.dims.map((d) => ({
        name: d.name, label: d.label, levels: d.levels,
        ...(d.kind === 'code' && d.members.length <= 500
          ? { members: d.members.map((m) => ({ code: m.path[m.path.length - 1], label: d.labels[d.levels.length - 1].get(m.path[m.path.length - 1]), parents: m.path.slice(0, -1) })) }
          : {}),
      })),
      measures: c.measures.map((m) => ({ name: m.name, label: m.label, unit: m.unit })),
    })),
  }
}

// ---- XLSX export ---------------------------------------------------------------------------------
const xmlEsc = (s) => String(s).replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c])
function colName(i) {
  let s = ''
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s
  return s
}
/** The pivot as on screen: row headers, column headers, measures, totals; amounts in 元 (two decimals), ratios as %. */
export function resultSheet(res, title) {
  const rows = []
  const nr = Math.max(1, res.rowDims.length)
  const ms = res.measures
  rows.push([{ v: title, s: 4 }])
  res.colDims.forEach((_, level) => {
    const line = res.rowDims.length ? res.rowDims.map(() => ({ v: '' })) : [{ v: '' }]
    res.columns.forEach((c) => ms.forEach(() => line.push({ v: c.keys[level]?.label ?? '', s: 4 })))
    if (res.rowTotals) ms.forEach(() => line.push({ v: '合计', s: 4 }))
    rows.push(line)
  })
  const unitText = (m) => (m.unit === 'fen' ? `${m.label}（元）` : m.label)
  const head = res.rowDims.length ? res.rowDims.map((d) => ({ v: d.label, s: 4 })) : [{ v: '', s: 4 }]
  res.columns.forEach(() => ms.forEach((m) => head.push({ v: unitText(m), s: 4 })))
  if (res.rowTotals && res.colDims.length) ms.forEach((m) => head.push({ v: unitText(m), s: 4 }))
  rows.push(head)
  const num = (v, m) => (v === null || v === undefined ? { v: '' } : m.unit === 'fen' ? { v: Math.round(v) / 100, n: true, s: 1 } : m.unit === 'ratio' ? { v, n: true, s: 3 } : { v, n: true, s: Number.isInteger(v) ? 2 : 1 })
  res.rows.forEach((r, ri) => {
    const line = res.rowDims.length ? r.keys.map((k) => ({ v: k.label })) : [{ v: '合计' }]
    res.columns.forEach((_, ci) => ms.forEach((m, mi) => line.push(num(res.cells[ri][ci][mi], m))))
    if (res.rowTotals && res.colDims.length) ms.forEach((m, mi) => line.push(num(res.rowTotals[ri][mi], m)))
    rows.push(line)
  })
  if (res.rowDims.length && res.colTotals) {
    const line = [{ v: '合计', s: 4 }, ...Array.from({ length: nr - 1 }, () => ({ v: '' }))]
    res.columns.forEach((_, ci) => ms.forEach((m, mi) => line.push(num(res.colTotals[ci][mi], m))))
    if (res.colDims.length) ms.forEach((m, mi) => line.push(num(res.grandTotal[mi], m)))
    rows.push(line)
  }
  return rows
}
function sheetXml(rows) {
  const body = rows.map((line, r) => `<row r="${r + 1}">${line.map((c, i) => {
    const ref = `${colName(i)}${r + 1}`
    const s = c.s ? ` s="${c.s}"` : ''
    return c.n ? `<c r="${ref}"${s}><v>${c.v}</v></c>` : c.v === '' ? '' : `<c r="${ref}" t="inlineStr"${s}><is><t>${xmlEsc(c.v)}</t></is></c>`
  }).join('')}</row>`).join('')
  const width = Math.max(...rows.map((l) => l.length))
  const colsXml = `<cols><col min="1" max="${Math.max(1, width)}" width="18" customWidth="1"/></cols>`
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${colsXml}<sheetData>${body}</sheetData></worksheet>`
}
const STYLES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/><name val="宋体"/></font><font><b/><sz val="11"/><name val="宋体"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="5"><xf/><xf numFmtId="4" applyNumberFormat="1"/><xf numFmtId="3" applyNumberFormat="1"/><xf numFmtId="10" applyNumberFormat="1"/><xf fontId="1" applyFont="1"/></cellXfs></styleSheet>`
export function xlsx(rows, sheetName = 'Sheet1') {
  const files = {
    '[Content_Types].xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`,
    '_rels/.rels': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="${xmlEsc(sheetName)}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`,
    'xl/styles.xml': STYLES,
    'xl/worksheets/sheet1.xml': sheetXml(rows),
  }
  const local = []
  const central = []
  let offset = 0
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text, 'utf8')
    const packed = deflateRawSync(data)
    const nameBuf = Buffer.from(name, 'utf8')
    const crc = crc32(data)
    const head = Buffer.alloc(30)
    head.writeUInt32LE(0x04034b50, 0); head.writeUInt16LE(20, 4); head.writeUInt16LE(0x0800, 6); head.writeUInt16LE(8, 8)
    head.writeUInt32LE(0, 10); head.writeUInt32LE(crc, 14); head.writeUInt32LE(packed.length, 18); head.writeUInt32LE(data.length, 22)
    head.writeUInt16LE(nameBuf.length, 26); head.writeUInt16LE(0, 28)
    local.push(head, nameBuf, packed)
    const cen = Buffer.alloc(46)
    cen.writeUInt32LE(0x02014b50, 0); cen.writeUInt16LE(20, 4); cen.writeUInt16LE(20, 6); cen.writeUInt16LE(0x0800, 8); cen.writeUInt16LE(8, 10)
    cen.writeUInt32LE(0, 12); cen.writeUInt32LE(crc, 16); cen.writeUInt32LE(packed.length, 20); cen.writeUInt32LE(data.length, 24)
    cen.writeUInt16LE(nameBuf.length, 28); cen.writeUInt32LE(offset, 42)
    central.push(cen, nameBuf)
    offset += 30 + nameBuf.length + packed.length
  }
  const cd = Buffer.concat(central)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(Object.keys(files).length, 8); end.writeUInt16LE(Object.keys(files).length, 10)
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16)
  return Buffer.concat([...local, cd, end])
}

// ---- domain views ------------------------------------------------------------------------------------
const DOMAINS = [
  ['leader', '领导视图', [['enrolment', '参保智能分析'], ['employment', '就业智能分析'], ['inspection', '劳动监察智能分析']]],
  ['jubao', '居保视图', [['enrolment', '参保情况'], ['pension', '养老保险待遇']]],
  ['jibao', '机保视图', [['enrolment', '参保情况'], ['pension', '养老保险待遇']]],
  ['shebao', '社保视图', [['enrolment', '参保情况'], ['pension', '养老待遇'], ['medical', '医疗报销']]],
  ['jiuye', '就业视图', [['employment', '就业情况'], ['unemployment', '失业情况'], ['poverty', '扶贫']]],
  ['hr', '人力资源视图', [['archive', '人社档案管理']]],
  ['renshi', '人事管理视图', [['structure', '人员结构']]],
  ['jiancha', '劳动监察视图', [['dispute', '纠纷']]],
]
const monthFilter = (from, to) => ({ dim: 'time', level: 'month', op: 'between', values: [String(from), String(to)] })
const inF = (dim, level, values) => ({ dim, level, op: 'in', values })

/** Section specs: indicators (value at the month, compared), charts (a query each), rankings (townships), a warning rule. */
function sectionSpec(domain, section, asOf) {
  const last12 = monthFilter(addMonths(asOf, -11), asOf)
  const at = monthFilter(asOf, asOf)
  const ind = (code, label, cube, measure, filters = [], compare = 'mom') => ({ code, label, cube, measure, filters, compare })
  const snap = (code, label, measure) => ({ code, label, cube: 'person', measure, filters: [], snapshot: true })
  const trend = (code, label, cube, measures, filters = [], type = 'line') => ({ code, label, type, query: { cube, rows: [{ dim: 'time', level: 'month' }], columns: [], measures, filters: [...filters, last12], totals: true } })
  const by = (code, label, type, cube, dim, level, measures, filters = [], extra = {}) => ({ code, label, type, query: { cube, rows: [{ dim, level }], columns: [], measures, filters: [...filters, at], totals: true, ...extra } })
  const rank = (code, label, cube, measure, filters = [], snapshot = false) => ({ code, label, cube, measure, filters: snapshot ? filters : [...filters, at] })
  const drop = (label, cube, measure, filters = []) => ({ label, cube, measure, filters })
  const scheme = (s) => [inF('insurance', 'scheme', [s])]
  const benefits = (types) => [inF('benefit', 'type', types)]
  const ev = (cat) => [inF('event', 'category', [cat])]
  const key = `${domain}.${section}`
  switch (key) {
    case 'leader.enrolment': return {
      indicators: [snap('jubao', '居保参保人数', 'jubao'), snap('shebao', '职工养老参保人数', 'shebao_pension'), snap('coverage', '养老保险覆盖率', 'pension_coverage'),
        ind('amount', '当月缴费金额', 'contribution', 'amount'), ind('payment', '当月待遇发放', 'payment', 'amount')],
      charts: [trend('trend', '近12个月缴费金额', 'contribution', ['amount'], [], 'bar'), by('types', '当月各险种缴费人数', 'pie', 'contribution', 'insurance', 'type', ['persons'])],
      rankings: [rank('coverage', '乡镇养老保险覆盖率排名', 'person', 'pension_coverage', [], true)],
      warn: drop('缴费人数', 'contribution', 'persons'),
    }
    case 'leader.employment': return {
      indicators: [ind('new_job', '当月城镇新增就业', 'employment', 'persons', [inF('event', 'type', ['new_job'])]), ind('unemployed', '当月失业登记', 'employment', 'persons', [inF('event', 'type', ['unemployed_reg'])]),
        ind('poverty', '脱贫劳动力务工', 'employment', 'persons', ev('poverty')), ind('subsidy', '补贴与贷款发放', 'employment', 'amount', ev('startup'))],
      charts: [{ code: 'trend', label: '近12个月就业事件（按类别）', type: 'bar', query: { cube: 'employment', rows: [{ dim: 'time', level: 'month' }], columns: [{ dim: 'event', level: 'category' }], measures: ['persons'], filters: [last12], totals: true } }],
      rankings: [rank('new_job', '乡镇当月新增就业排名', 'employment', 'persons', [inF('event', 'type', ['new_job'])])],
      warn: drop('新增就业人数', 'employment', 'persons', [inF('event', 'type', ['new_job'])]),
    }
    case 'leader.inspection': case 'jiancha.dispute': return {
      indicators: [ind('cases', '当月案件数', 'case', 'cases'), ind('closure', '当月结案率', 'case', 'closure_rate'), ind('amount', '涉案金额', 'case', 'amount'), ind('overdue', '超期案件', 'case', 'overdue')],
      charts: [by('types', '当月案由分布', 'pie', 'case', 'case_type', 'case_type', ['cases']), trend('trend', '近12个月案件数', 'case', ['cases', 'closed'], [], 'line'),
        ...(domain === 'jiancha' ? [by('kinds', '监察与仲裁案件（当月）', 'bar', 'case', 'kind', 'kind', ['cases', 'workers'])] : [])],
      rankings: [rank('cases', '乡镇当月案件数排名', 'case', 'cases')],
      warn: { label: '案件数', cube: 'case', measure: 'cases', op: 'change_gt', value: 0.5, message: (t, m, v) => `${t} ${m}案件数环比上升${(v * 100).toFixed(1)}%` },
    }
    case 'jubao.enrolment': case 'jibao.enrolment': return {
      indicators: [snap('persons', '参保人数', domain === 'jubao' ? 'jubao' : 'jibao'), ind('payers', '当月缴费人数', 'contribution', 'persons', scheme(domain)),
        ind('amount', '当月缴费金额', 'contribution', 'amount', scheme(domain)), ind(domain === 'jubao' ? 'subsidy' : 'unit', domain === 'jubao' ? '政府补贴' : '单位缴费', 'contribution', domain === 'jubao' ? 'subsidy' : 'unit_part', scheme(domain)),
        ind('new', '当月新增参保', 'enrolment', 'persons', scheme(domain))],
      charts: [trend('trend', '近12个月缴费人数', 'contribution', ['persons'], scheme(domain)), by('age', '当月缴费人数（年龄段 × 性别）', 'bar', 'contribution', 'age', 'band', ['persons'], scheme(domain), { columns: [{ dim: 'gender', level: 'gender' }] })],
      rankings: [domain === 'jubao' ? rank('coverage', '乡镇养老保险覆盖率排名', 'person', 'pension_coverage', [], true) : rank('payers', '乡镇当月缴费人数排名', 'contribution', 'persons', scheme(domain))],
      warn: drop('缴费人数', 'contribution', 'persons', scheme(domain)),
    }
    case 'jubao.pension': case 'jibao.pension': case 'shebao.pension': {
      const types = domain === 'jubao' ? ['jubao_basic', 'jubao_account'] : domain === 'jibao' ? ['jiguan_pension'] : ['qiye_pension']
      return {
        indicators: [ind('persons', '当月领取人数', 'payment', 'persons', benefits(types.slice(0, 1))), ind('amount', '当月发放金额', 'payment', 'amount', benefits(types)),
          ind('avg', '人均发放', 'payment', 'avg_amount', benefits(types)), ind('yoy', '当月发放金额（同比）', 'payment', 'amount', benefits(types), 'yoy')],
        charts: [trend('trend', '近12个月发放金额', 'payment', ['amount'], benefits(types), 'bar'), by('town', '各乡镇当月发放金额', 'bar', 'payment', 'region', 'township', ['amount'], benefits(types), { sort: { by: 'measure', measure: 'amount', dir: 'desc' } })],
        rankings: [rank('persons', '乡镇领取人数排名', 'payment', 'persons', benefits(types.slice(0, 1)))],
        warn: drop('领取人数', 'payment', 'persons', benefits(types.slice(0, 1))),
      }
    }
    case 'shebao.enrolment': return {
      indicators: [snap('pension', '职工养老参保人数', 'shebao_pension'), snap('medical', '职工医疗参保人数', 'shebao_medical'),
        ind('payers', '当月养老缴费人数', 'contribution', 'persons', [inF('insurance', 'type', ['qiye_pension'])]), ind('amount', '当月缴费金额', 'contribution', 'amount', scheme('shebao'))],
      charts: [by('types', '当月各险种缴费金额', 'pie', 'contribution', 'insurance', 'type', ['amount'], scheme('shebao')), trend('trend', '近12个月缴费金额（个人/单位）', 'contribution', ['personal', 'unit_part'], scheme('shebao'), 'bar')],
      rankings: [rank('payers', '乡镇当月养老缴费人数排名', 'contribution', 'persons', [inF('insurance', 'type', ['qiye_pension'])])],
      warn: drop('养老缴费人数', 'contribution', 'persons', [inF('insurance', 'type', ['qiye_pension'])]),
    }
    case 'shebao.medical': return {
      indicators: [ind('persons', '当月报销人数', 'payment', 'persons', benefits(['medical_reimb'])), ind('amount', '当月报销金额', 'payment', 'amount', benefits(['medical_reimb'])),
        ind('avg', '人均报销', 'payment', 'avg_amount', benefits(['medical_reimb']))],
      charts: [trend('trend', '近12个月报销金额', 'payment', ['amount'], benefits(['medical_reimb'])), by('age', '当月报销人数（年龄段）', 'bar', 'payment', 'age', 'band', ['persons'], benefits(['medical_reimb']))],
      rankings: [rank('amount', '乡镇当月报销金额排名', 'payment', 'amount', benefits(['medical_reimb']))],
      warn: { label: '报销金额', cube: 'payment', measure: 'amount', filters: benefits(['medical_reimb']), op: 'change_gt', value: 0.1, message: (t, m, v) => `${t} ${m}医疗报销金额环比上升${(v * 100).toFixed(1)}%` },
    }
    case 'jiuye.employment': return {
      indicators: [ind('new_job', '城镇新增就业', 'employment', 'persons', [inF('event', 'type', ['new_job'])]), ind('flexible', '灵活就业登记', 'employment', 'persons', [inF('event', 'type', ['flexible'])]),
        ind('ytd', '城镇新增就业（同比）', 'employment', 'persons', [inF('event', 'type', ['new_job'])], 'yoy')],
      charts: [trend('trend', '近12个月新增就业', 'employment', ['persons'], ev('employment'), 'bar'), by('gender', '当月就业人员性别构成', 'pie', 'employment', 'gender', 'gender', ['persons'], ev('employment'))],
      rankings: [rank('new_job', '乡镇新增就业排名', 'employment', 'persons', [inF('event', 'type', ['new_job'])])],
      warn: drop('新增就业人数', 'employment', 'persons', [inF('event', 'type', ['new_job'])]),
    }
    case 'jiuye.unemployment': return {
      indicators: [ind('reg', '当月失业登记', 'employment', 'persons', [inF('event', 'type', ['unemployed_reg'])]), ind('re', '失业人员再就业', 'employment', 'persons', [inF('event', 'type', ['reemployment'])]),
        ind('benefit', '失业保险金发放', 'payment', 'amount', benefits(['unemp_benefit']))],
      charts: [{ code: 'trend', label: '近12个月失业登记与再就业', type: 'line', query: { cube: 'employment', rows: [{ dim: 'time', level: 'month' }], columns: [{ dim: 'event', level: 'type' }], measures: ['persons'], filters: [last12, ...ev('unemployment')], totals: true } }],
      rankings: [rank('reg', '乡镇失业登记排名', 'employment', 'persons', [inF('event', 'type', ['unemployed_reg'])])],
      warn: { label: '失业登记', cube: 'employment', measure: 'persons', filters: [inF('event', 'type', ['unemployed_reg'])], op: 'change_gt', value: 0.3, message: (t, m, v) => `${t} ${m}失业登记环比上升${(v * 100).toFixed(1)}%` },
    }
    case 'jiuye.poverty': return {
      indicators: [ind('job', '脱贫劳动力务工', 'employment', 'persons', [inF('event', 'type', ['poverty_job'])]), ind('post', '公益性岗位安置', 'employment', 'persons', [inF('event', 'type', ['public_post'])]),
        ind('amount', '岗位补贴', 'employment', 'amount', [inF('event', 'type', ['public_post'])])],
      charts: [trend('trend', '近12个月脱贫劳动力务工', 'employment', ['persons'], ev('poverty'), 'bar')],
      rankings: [rank('job', '乡镇脱贫劳动力务工排名', 'employment', 'persons', [inF('event', 'type', ['poverty_job'])])],
      warn: drop('务工人数', 'employment', 'persons', [inF('event', 'type', ['poverty_job'])]),
    }
    case 'hr.archive': return {
      indicators: [ind('records', '当月新增档案', 'archive', 'records'), ind('persons', '涉及人数', 'archive', 'persons'), ind('flow', '流动人员档案', 'archive', 'records', [inF('archive_type', 'archive_type', ['flow'])])],
      charts: [by('types', '当月档案类型构成', 'pie', 'archive', 'archive_type', 'archive_type', ['records']), trend('trend', '近12个月档案接收', 'archive', ['records'], [], 'bar')],
      rankings: [rank('records', '乡镇当月档案数排名', 'archive', 'records')],
      warn: drop('档案接收', 'archive', 'records'),
    }
    case 'renshi.structure': return {
      indicators: [ind('persons', '在编人数', 'personnel', 'records'), ind('salary', '工资基数合计', 'personnel', 'salary'), ind('avg', '平均工资基数（同比）', 'personnel', 'avg_salary', [], 'yoy')],
      charts: [by('posts', '岗位结构', 'pie', 'personnel', 'post', 'post', ['records']), by('gender', '岗位 × 性别', 'bar', 'personnel', 'post', 'post', ['records'], [], { columns: [{ dim: 'gender', level: 'gender' }] })],
      rankings: [rank('persons', '乡镇在编人数排名', 'personnel', 'records')],
      warn: null,
    }
    default: return { indicators: [], charts: [], rankings: [], warn: null }
  }
}

function domainView(cubes, code, asOfRaw, user) {
  const d = DOMAINS.find((x) => x[0] === code)
  if (!d) return null
  const asOf = Number(asOfRaw) && timeIndexOf.has(Number(asOfRaw)) ? Number(asOfRaw) : LAST_MONTH
  let scoped = false
  const q = (query) => {
    const r = runQuery(cubes, query, user)
    scoped ||= r.scoped
    return r
  }
  const sections = d[2].map(([sc, sl]) => {
    const spec = sectionSpec(code, sc, asOf)
    const indicators = spec.indicators.map((i) => {
      if (i.snapshot) {
        const r = q({ cube: i.cube, rows: [], columns: [], measures: [i.measure], totals: false })
        const m = r.measures[0]
        return { code: i.code, label: i.label, value: r.cells[0]?.[0]?.[0] ?? null, unit: m.unit }
      }
      const r = q({ cube: i.cube, rows: [{ dim: 'time', level: 'month' }], columns: [], measures: [i.measure], filters: [...i.filters, monthFilter(asOf, asOf)], compare: { type: i.compare } })
      return { code: i.code, label: i.label, value: r.cells[0]?.[0]?.[0] ?? null, unit: r.measures[0].unit, prev: r.prev?.[0]?.[0]?.[0] ?? null, change: r.change?.[0]?.[0]?.[0] ?? null, compare: i.compare }
    })
    const charts = spec.charts.map((c) => ({ ...c, result: q(c.query) }))
    const rankings = spec.rankings.map((rk) => {
      const r = q({ cube: rk.cube, rows: [{ dim: 'region', level: 'township' }], columns: [], measures: [rk.measure], filters: rk.filters, sort: { by: 'measure', measure: rk.measure, dir: 'desc' } })
      return { code: rk.code, label: rk.label, unit: r.measures[0].unit, items: r.rows.map((row, i) => ({ code: row.keys[0].code, label: row.keys[0].label, value: r.cells[i][0][0], rank: i + 1 })) }
    })
    const warnings = []
    if (spec.warn) {
      const w = spec.warn
      const op = w.op ?? 'change_lt'
      const value = w.value ?? -0.05
      const r = q({ cube: w.cube, rows: [{ dim: 'region', level: 'township' }, { dim: 'time', level: 'month' }], columns: [], measures: [w.measure], filters: [...(w.filters ?? []), monthFilter(asOf, asOf)],
        compare: { type: 'mom' }, thresholds: [{ measure: w.measure, op, value, level: 'warn' }] })
      const month = `${asOf % 100}月`
      for (const hit of r.warnings ?? []) {
        const town = r.rows[hit.row].keys[0]
        const level = Math.abs(hit.value) >= Math.abs(value) * 2 ? 'alarm' : 'warn'
        warnings.push({ level, code: `${sc}_${op === 'change_lt' ? 'drop' : 'rise'}`, region: town.code,
          message: w.message ? w.message(town.label, month, hit.value) : `${town.label} ${month}${w.label}环比下降${(-hit.value * 100).toFixed(1)}%` })
      }
      warnings.sort((x, y) => (x.level === y.level ? 0 : x.level === 'alarm' ? -1 : 1))
    }
    return { code: sc, label: sl, indicators, charts, rankings, warnings }
  })
  return { code, label: d[1], asOf: String(asOf), scoped, sections }
}

// ---- the HTTP extension -------------------------------------------------------------------------------
export function createMockAnalytics() {
  const cubes = buildCubes()
  const views = new Map()
  const pins = new Map() // user id → Set of view ids
  let seq = 300
  const now = Date.now()
  const seed = (name, description, query, chart) => {
    const id = ++seq
    views.set(id, { id, name, description, query, chart, shared: true, owner: 1001, ownerName: '张三（演示）', updatedAtMs: now - (seq - 300) * 3600_000 })
    return id
  }
  const SEEDED = [
    seed('各乡镇居保当月缴费人数', '城乡居民养老保险，最新月份', { cube: 'contribution', rows: [{ dim: 'region', level: 'township' }], columns: [], measures: ['persons'],
      filters: [inF('insurance', 'scheme', ['jubao']), monthFilter(LAST_MONTH, LAST_MONTH)], sort: { by: 'measure', measure: 'persons', dir: 'desc' }, limit: 10 }, 'bar'),
    seed('近两年待遇发放月度趋势', '按待遇类别', { cube: 'payment', rows: [{ dim: 'time', level: 'month' }], columns: [{ dim: 'benefit', level: 'category' }], measures: ['amount'],
      filters: [monthFilter(addMonths(LAST_MONTH, -23), LAST_MONTH)] }, 'line'),
    seed('劳动监察案由构成（本年）', '', { cube: 'case', rows: [{ dim: 'case_type', level: 'case_type' }], columns: [], measures: ['cases'], filters: [inF('time', 'year', [String(Math.floor(LAST_MONTH / 100))])] }, 'pie'),
    seed('各险种缴费金额同比（季度）', '', { cube: 'contribution', rows: [{ dim: 'insurance', level: 'type' }], columns: [], measures: ['amount', 'persons'],
      filters: [inF('time', 'quarter', [`${Math.floor(LAST_MONTH / 100)}Q${Math.ceil((LAST_MONTH % 100) / 3)}`])] }, 'table'),
  ]
  const pinsOf = (uid) => {
    if (!pins.has(String(uid))) pins.set(String(uid), new Set(SEEDED))
    return pins.get(String(uid))
  }
  const visible = (v, user) => v.shared || String(v.owner) === String(user.id)
  const viewOut = (v, user) => ({ ...v, pinned: pinsOf(user.id).has(v.id) })
  const CHARTS = ['table', 'bar', 'line', 'pie', 'heatmap']
  const checkView = (b) => {
    if (!b || typeof b.name !== 'string' || !b.name.trim() || b.name.length > 100) return '视图名称须为 1 至 100 个字'
    if (b.description !== undefined && (typeof b.description !== 'string' || b.description.length > 500)) return '说明不能超过 500 个字'
    if (!CHARTS.includes(b.chart)) return '展现方式错误'
    if (!b.query || typeof b.query !== 'object') return '缺少查询'
    return null
  }

  return async function handle(ctx) {
    const { req, res, path, body, sendJson, send, err, need, user, log } = ctx
    if (!path.startsWith('/api/v1/analytics/')) return false
    const method = req.method
    const run = (query) => {
      try {
        return { result: runQuery(cubes, query, user) }
      } catch (e) {
        if (e instanceof QueryError) return { error: e.message }
        throw e
      }
    }
    const json = async () => (await body()) ?? null

    if (path === '/api/v1/analytics/cubes' && method === 'GET') return need('analytics:query') && sendJson(res, 200, describe(cubes)), true
    if (path === '/api/v1/analytics/status' && method === 'GET') {
      return need('analytics:query') && sendJson(res, 200, { cubes: cubes.map((c) => ({ name: c.name, rows: c.rowCount, version: c.version, buildMs: 0 })) }), true
    }
    if (path === '/api/v1/analytics/query' && method === 'POST') {
      if (!need('analytics:query')) return true
      const r = run(await json())
      return r.error ? err(400, 'INVALID_ARGUMENT', r.error) : sendJson(res, 200, r.result), true
    }
    if (path === '/api/v1/analytics/export' && method === 'POST') {
      if (!need('analytics:query')) return true
      const q = await json()
      const r = run(q)
      if (r.error) return err(400, 'INVALID_ARGUMENT', r.error), true
      const cube = cubes.find((c) => c.name === q.cube)
      const file = xlsx(resultSheet(r.result, `${cube.label}多维分析`), cube.label)
      log('analytics.export', 'success', 'cube', cube.name, JSON.stringify({ rows: r.result.rows.length }))
      send(res, 200, file, {
        'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'Content-Disposition': `attachment; filename="analytics.xlsx"; filename*=UTF-8''${encodeURIComponent(`${cube.label}多维分析.xlsx`)}`,
      })
      return true
    }
    if (path === '/api/v1/analytics/views' && method === 'GET') {
      if (!need('analytics:query')) return true
      return sendJson(res, 200, { items: [...views.values()].filter((v) => visible(v, user)).sort((a, b) => b.updatedAtMs - a.updatedAtMs).map((v) => viewOut(v, user)) }), true
    }
    if (path === '/api/v1/analytics/views' && method === 'POST') {
      if (!need('analytics:view:manage')) return true
      const b = await json()
      const bad = checkView(b) ?? run(b.query).error
      if (bad) return err(400, 'INVALID_ARGUMENT', bad), true
      const id = ++seq
      const v = { id, name: b.name.trim(), description: b.description ?? '', query: b.query, chart: b.chart, shared: !!b.shared, owner: user.id, ownerName: user.displayName, updatedAtMs: Date.now() }
      views.set(id, v)
      return sendJson(res, 200, viewOut(v, user)), true
    }
    const vm = path.match(/^\/api\/v1\/analytics\/views\/(\d+)(\/pin)?$/)
    if (vm) {
      const v = views.get(Number(vm[1]))
      if (!v || !visible(v, user)) return err(404, 'NOT_FOUND', '视图不存在'), true
      if (vm[2] && method === 'POST') {
        if (!need('analytics:view:manage')) return true
        const b = await json()
        const set = pinsOf(user.id)
        if (b?.pinned) set.add(v.id)
        else set.delete(v.id)
        return sendJson(res, 200, viewOut(v, user)), true
      }
      if (!vm[2] && (method === 'PUT' || method === 'DELETE')) {
        if (!need('analytics:view:manage')) return true
        if (String(v.owner) !== String(user.id)) return err(403, 'PERMISSION_DENIED', '只能修改本人创建的视图'), true
        if (method === 'DELETE') {
          views.delete(v.id)
          return sendJson(res, 200, { ok: true }), true
        }
        const b = await json()
        const bad = checkView(b) ?? run(b.query).error
        if (bad) return err(400, 'INVALID_ARGUMENT', bad), true
        Object.assign(v, { name: b.name.trim(), description: b.description ?? '', query: b.query, chart: b.chart, shared: !!b.shared, updatedAtMs: Date.now() })
        return sendJson(res, 200, viewOut(v, user)), true
      }
    }
    if (path === '/api/v1/analytics/workbench' && method === 'GET') {
      if (!need('analytics:query')) return true
      const set = pinsOf(user.id)
      const items = [...views.values()].filter((v) => set.has(v.id) && visible(v, user)).map((v) => ({ view: viewOut(v, user), result: run({ ...v.query, totals: true }).result ?? null }))
      return sendJson(res, 200, { items }), true
    }
    if (path === '/api/v1/analytics/domains' && method === 'GET') {
      if (!need('analytics:query')) return true
      return sendJson(res, 200, { items: DOMAINS.map(([code, label, sections]) => ({ code, label, sections: sections.map(([c, l]) => ({ code: c, label: l })) })) }), true
    }
    const dm = path.match(/^\/api\/v1\/analytics\/domains\/([a-z]+)$/)
    if (dm && method === 'GET') {
      if (!need('analytics:query')) return true
      const v = domainView(cubes, dm[1], ctx.url.searchParams.get('month'), user)
      return v ? sendJson(res, 200, v) : err(404, 'NOT_FOUND', '专题视图不存在'), true
    }
    return err(404, 'NOT_FOUND', '接口不存在'), true
  }
}
