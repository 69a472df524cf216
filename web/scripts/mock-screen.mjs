// In-memory stand-in for the command-center API of docs/api/analytics.md
// ("Command center"): GET/PUT /api/v1/screen/config, GET /api/v1/screen/data,
// hub topic `screen.update`, and /media/ (HLS files from a directory, e.g. one
// made by scripts/make-test-stream.sh). Plugged into scripts/mock-identity.mjs
// as an extension by scripts/serve-dist.mjs --mock-api.
//
// Not a reference implementation: deterministic, plausible county-scale
// figures for 大竹县 (31 townships, 8 service outlets, staff, 12 months) that
// move a little every `tickMs` like a live system, and just enough rules to
// exercise the screen: screen:view / screen:manage, item validation, data
// scope (a township-scoped user sees only its township → "scoped": true).
//
// Test controls (mock only, not under /api/): POST /__mock/screen/tick
// publishes an update now; POST /__mock/screen/drop-hub closes every hub socket.
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { readFrames, sendText } from './mock-ws.mjs'

const TOWNSHIPS = [
  ['511724001', '竹阳街道'], ['511724002', '东柳街道'], ['511724003', '白塔街道'], ['511724101', '乌木镇'],
  ['511724102', '团坝镇'], ['511724103', '杨家镇'], ['511724104', '清河镇'], ['511724105', '柏林镇'],
  ['511724106', '石河镇'], ['511724107', '中华镇'], ['511724108', '石桥铺镇'], ['511724109', '观音镇'],
  ['511724110', '周家镇'], ['511724111', '石子镇'], ['511724112', '文星镇'], ['511724113', '妈妈镇'],
  ['511724114', '高穴镇'], ['511724115', '欧家镇'], ['511724116', '庙坝镇'], ['511724117', '清水镇'],
  ['511724118', '月华镇'], ['511724119', '高明镇'], ['511724120', '童家镇'], ['511724121', '天城镇'],
  ['511724125', '四合镇'], ['511724126', '永胜镇'], ['511724203', '朝阳乡'], ['511724214', '安吉乡'],
  ['511724218', '八渡乡'], ['511724220', '杨通乡'], ['511724231', '川主乡'],
]
const OUTLETS = ['县政务服务中心', '竹阳街道便民中心', '东柳街道便民中心', '白塔街道便民中心', '庙坝镇便民中心', '石河镇便民中心', '清河镇便民中心', '观音镇便民中心']
const TYPES = ['社保', '居保', '就业', '社保卡', '劳动关系', '人事人才']
const STAFF = ['李晓燕', '王建华', '张丽', '陈志强', '刘春梅', '杨德明', '黄海燕', '赵文华', '周婷', '吴国强', '徐红梅', '唐兴福']
const CATEGORIES = ['社会保险', '城乡居民养老', '就业创业', '社保卡', '劳动关系', '人事人才']
export const SCREEN_ITEMS = ['kpi', 'business_yearly', 'business_monthly', 'consultation', 'query_volume', 'new_enrolment', 'transfer',
  'info_maintenance', 'card_maintenance', 'retirement', 'staff_volume', 'outlet_handling', 'township_map', 'heatmap', 'warnings']
const MEDIA_TYPES = { '.m3u8': 'application/vnd.apple.mpegurl', '.ts': 'video/mp2t', '.m4s': 'video/iso.segment', '.mp4': 'video/mp4' }

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

/** The last 12 months as YYYY-MM, oldest first. */
function lastMonths(n = 12, now = new Date()) {
  return Array.from({ length: n }, (_, i) => {
    const d = new Date(now.getFullYear(), now.getMonth() - (n - 1 - i), 1)
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`
  })
}

export function defaultScreenConfig() {
  return {
    layouts: [
      { id: '1080p', label: '1920×1080', width: 1920, height: 1080 },
      { id: '2160p', label: '3840×2160', width: 3840, height: 2160 },
    ],
    defaultItems: ['business_yearly', 'consultation', 'query_volume', 'new_enrolment', 'business_monthly', 'transfer', 'info_maintenance',
      'card_maintenance', 'retirement', 'outlet_handling', 'staff_volume', 'heatmap'],
    carousel: { enabled: true, intervalSec: 15 },
    screens: [
      { id: 'left', label: '左屏 · 业务统计', panels: ['business_yearly', 'business_monthly', 'consultation', 'query_volume', 'new_enrolment', 'transfer',
        'info_maintenance', 'card_maintenance', 'retirement', 'staff_volume', 'heatmap', 'business_monthly'] },
      { id: 'center', label: '中屏 · 全县态势', panels: ['kpi', 'township_map', 'warnings', 'video', 'outlet_handling', 'heatmap', 'business_monthly',
        'new_enrolment', 'retirement', 'staff_volume', 'consultation', 'transfer'] },
      { id: 'right', label: '右屏 · 网点与视频', panels: ['video', 'warnings', 'outlet_handling', 'staff_volume', 'card_maintenance', 'info_maintenance',
        'query_volume', 'retirement'] },
    ],
    streams: [
      { id: 'hall', name: '县政务服务中心 · 人社大厅', url: '/media/hall/index.m3u8' },
      { id: 'window', name: '县政务服务中心 · 社保窗口', url: '/media/window/index.m3u8' },
      { id: 'zhuyang', name: '竹阳街道便民中心 · 服务区', url: '/media/zhuyang/index.m3u8' },
      { id: 'selfservice', name: '县政务服务中心 · 自助服务区', url: '/media/selfservice/index.m3u8' },
    ],
  }
}

/** Validates a PUT body; returns an error message (Chinese) or null. */
export function validateScreenConfig(c) {
  if (!c || typeof c !== 'object') return '配置须为 JSON 对象'
  if (!Array.isArray(c.defaultItems) || c.defaultItems.length > 40) return 'defaultItems 须为不超过 40 项的数组'
  const bad = c.defaultItems.find((i) => !SCREEN_ITEMS.includes(i))
  if (bad) return `未知的统计项：${bad}`
  const iv = Number(c.carousel?.intervalSec)
  if (!Number.isInteger(iv) || iv < 5 || iv > 600) return '轮播间隔须为 5–600 秒的整数'
  if (!Array.isArray(c.screens) || c.screens.length > 9) return 'screens 须为不超过 9 项的数组'
  for (const s of c.screens) {
    if (typeof s?.id !== 'string' || !/^[a-z0-9_-]{1,20}$/.test(s.id)) return '分屏标识须为 1–20 位小写字母、数字、下划线或连字符'
    if (!Array.isArray(s.panels) || s.panels.some((p) => p !== 'video' && !SCREEN_ITEMS.includes(p))) return `分屏 ${s.id} 的面板不正确`
  }
  if (!Array.isArray(c.streams) || c.streams.length > 16) return 'streams 须为不超过 16 项的数组'
  for (const s of c.streams) {
    if (typeof s?.url !== 'string' || !/^(\/media\/[\w./-]+\.m3u8|https:\/\/[^\s]+\.m3u8)$/.test(s.url) || s.url.includes('..')) return '视频流地址须为 /media/ 下或 https 的 .m3u8 地址'
    if (typeof s.name !== 'string' || !s.name.trim() || s.name.length > 40) return '视频流名称须为 1–40 个字符'
  }
  return null
}

export function createMockScreen({ mediaDir = process.env.HRSS_MEDIA_DIR ?? '', tickMs = Number(process.env.HRSS_MOCK_SCREEN_TICK_MS ?? 20000) } = {}) {
  const rand = rng(20260512)
  const int = (a, b) => a + Math.floor(rand() * (b - a + 1))
  let config = defaultScreenConfig()
  let asOf = Date.now()
  const months = lastMonths()
  const years = Array.from({ length: 5 }, (_, i) => String(new Date().getFullYear() - 4 + i))
  const season = (i) => 1 + 0.18 * Math.sin(((i + 2) / 12) * 2 * Math.PI) + (i === 1 ? -0.25 : 0) // Spring Festival dip

  // ---- base figures -----------------------------------------------------------------
  const weight = TOWNSHIPS.map(([code], i) => (code.endsWith('001') ? 3.2 : code.slice(6, 7) === '0' ? 2.1 : code.slice(6, 7) === '2' ? 0.55 : 0.8 + rand() * 0.7) * (i < 3 ? 1 : 1))
  const heat = TOWNSHIPS.map((_, y) => months.map((__, x) => Math.round(weight[y] * 420 * season(x + 1) * (0.85 + rand() * 0.3) * (1 + x * 0.012))))
  const monthly = months.map((_, i) => {
    const accepted = Math.round(15200 * season(i + 1) * (0.94 + rand() * 0.12) * (1 + i * 0.01))
    return { accepted, completed: Math.round(accepted * (0.955 + rand() * 0.03)) }
  })
  const yearly = CATEGORIES.map((_, c) => years.map((__, y) => Math.round([62000, 41000, 23000, 28000, 9000, 6500][c] * (0.86 + y * 0.045) * (0.95 + rand() * 0.1))))
  const consult = ['窗口咨询', '12333 热线', '网上咨询'].map((name, k) => ({ name, values: months.map((_, i) => Math.round([5200, 3800, 2600][k] * season(i + 1) * (0.9 + rand() * 0.2) * (1 + (k === 2 ? i * 0.04 : 0)))) }))
  const query = [['自助终端', 38200], ['网上服务大厅', 52600], ['四川人社 App / 小程序', 71300], ['窗口查询', 19400], ['12333 语音', 12800]]
  const enrol = ['养老保险', '医疗保险'].map((name, k) => ({ name, values: months.map((_, i) => Math.round([1450, 2380][k] * season(i + 1) * (0.85 + rand() * 0.3) * (i === 0 && k === 1 ? 2.3 : 1))) }))
  const transfer = ['转入', '转出'].map((name, k) => ({ name, values: months.map((_, i) => Math.round([310, 265][k] * season(i + 1) * (0.8 + rand() * 0.4))) }))
  const info = [['基本信息变更', 4120], ['银行账户变更', 2860], ['联系方式变更', 3350], ['身份信息更正', 640], ['参保状态核实', 1180]]
  const card = [['申领', 2860], ['补换卡', 1930], ['挂失', 820], ['解挂', 610], ['启用激活', 2240], ['信息变更', 980]]
  const retire = ['企业职工', '机关事业', '城乡居民'].map((name, k) => ({ name, values: months.map((_, i) => Math.round([235, 58, 640][k] * (0.8 + rand() * 0.4) * (i % 12 === 0 ? 1.4 : 1))) }))
  const staff = STAFF.map((n, i) => ({ name: `${n}（${OUTLETS[i % OUTLETS.length].replace(/便民中心|政务服务中心/, '')}）`, value: Math.round(5200 - i * 310 + rand() * 260) }))
  const outlets = OUTLETS.map((_, i) => {
    const accepted = Math.round((i === 0 ? 6800 : i < 4 ? 2600 : 1100) * (0.85 + rand() * 0.3))
    return { accepted, completed: Math.round(accepted * (i === 5 ? 0.83 : 0.93 + rand() * 0.06)) }
  })
  const byType = TYPES.map((type, i) => {
    const accepted = Math.round([7400, 4300, 2600, 3100, 820, 560][i] * (0.9 + rand() * 0.2))
    return { type, accepted, completed: Math.round(accepted * (i === 4 ? 0.86 : 0.94 + rand() * 0.05)) }
  })
  const kpi = { insured: 786420, paidFen: 23_618_450_000, accepted: 0, open: 0 }
  const warnings = [
    { id: 1, level: 'alarm', title: '参保下降', message: '本月居保参保人数环比下降 6.2%，超过 5% 阈值', township: '511724116', townshipName: '庙坝镇' },
    { id: 2, level: 'alarm', title: '办结率偏低', message: '石河镇便民中心本月办结率 83.1%，低于 90% 目标', township: '511724106', townshipName: '石河镇' },
    { id: 3, level: 'warn', title: '业务积压', message: '在办退休审批 37 件超过 15 个工作日', township: '511724001', townshipName: '竹阳街道' },
    { id: 4, level: 'warn', title: '待遇资格认证', message: '本季度待遇资格认证率 91.4%，低于全县平均', township: '511724218', townshipName: '八渡乡' },
    { id: 5, level: 'warn', title: '欠薪线索', message: '新增农民工工资投诉 3 起，涉及 46 人', township: '511724108', townshipName: '石桥铺镇' },
    { id: 6, level: 'info', title: '数据采集', message: '居保系统今日增量采集完成，新增 1,284 条', township: '', townshipName: '' },
    { id: 7, level: 'info', title: '设备状态', message: '自助终端 2 台离线超过 24 小时', township: '511724120', townshipName: '童家镇' },
  ].map((w, i) => ({ ...w, atMs: Date.now() - (i * 47 + 8) * 60_000 }))
  const recompute = () => {
    kpi.accepted = monthly[11].accepted
    kpi.open = monthly[11].accepted - monthly[11].completed + 180
  }
  recompute()

  // ---- items ----------------------------------------------------------------------------
  const bar = (label, unit, categories, series, extra = {}) => ({ label, type: 'bar', unit, data: { categories, series, unit, ...extra } })
  const line = (label, unit, categories, series) => ({ label, type: 'line', unit, data: { categories, series, unit } })
  const pie = (label, unit, pairs) => ({ label, type: 'pie', unit, data: { categories: pairs.map((p) => p[0]), series: [{ name: label, values: pairs.map((p) => p[1]) }], unit } })
  const monthLabels = months.map((m) => `${Number(m.slice(5))}月`)

  function item(name, scope) {
    const township = scope?.township
    switch (name) {
      case 'kpi': {
        const f = township ? weight[TOWNSHIPS.findIndex(([c]) => c === township)] / weight.reduce((a, b) => a + b, 0) : 1
        return { label: '核心指标', type: 'kpi', data: { tiles: [
          { key: 'insured', label: '参保人数', value: Math.round(kpi.insured * f), unit: '人', change: 0.0042 },
          { key: 'paid', label: '当月发放金额', value: Math.round(kpi.paidFen * f), unit: 'fen', change: 0.0131 },
          { key: 'accepted', label: '当月受理量', value: Math.round(kpi.accepted * f), unit: '件', change: (monthly[11].accepted - monthly[10].accepted) / monthly[10].accepted },
          { key: 'open', label: '在办案件', value: Math.round(kpi.open * f), unit: '件', change: -0.036 },
        ] } }
      }
      case 'business_yearly':
        return bar('年度业务量（按事项类别）', '件', years.map((y) => `${y}年`), CATEGORIES.map((c, i) => ({ name: c, values: yearly[i], stack: 'all' })))
      case 'business_monthly':
        return line('月度业务量趋势', '件', monthLabels, [{ name: '受理量', values: monthly.map((m) => m.accepted) }, { name: '办结量', values: monthly.map((m) => m.completed) }])
      case 'consultation':
        return line('咨询量（按渠道）', '人次', monthLabels, consult)
      case 'query_volume':
        return pie('信息查询量（本年，按渠道）', '次', query)
      case 'new_enrolment':
        return bar('新增参保（养老 / 医疗）', '人', monthLabels, enrol)
      case 'transfer':
        return bar('社保关系转移', '件', monthLabels, transfer)
      case 'info_maintenance':
        return pie('个人信息维护（本年）', '件', info)
      case 'card_maintenance':
        return bar('社保卡维护（本年）', '件', card.map((c) => c[0]), [{ name: '业务量', values: card.map((c) => c[1]) }])
      case 'retirement':
        return bar('退休审批', '人', monthLabels, retire.map((s) => ({ ...s, stack: 'r' })))
      case 'staff_volume': {
        const top = [...staff].sort((a, b) => b.value - a.value).slice(0, 10)
        return bar('经办人业务量 TOP10（本年）', '件', top.map((s) => s.name), [{ name: '本年经办量', values: top.map((s) => s.value) }], { horizontal: true })
      }
      case 'outlet_handling':
        return bar('网点受理与办结（本月）', '件', OUTLETS, [{ name: '受理量', values: outlets.map((o) => o.accepted) }, { name: '办结量', values: outlets.map((o) => o.completed) }],
          { rate: { name: '办结率', values: outlets.map((o) => Math.round((o.completed / o.accepted) * 1000) / 1000) }, byType })
      case 'township_map':
        return { label: '乡镇业务分布', type: 'map', unit: '件', data: { measure: '本月业务量', unit: '件', townships: TOWNSHIPS.map(([code, n], i) => ({
          code, name: n, value: !township || township === code ? heat[i][11] : null,
          alarm: warnings.find((w) => w.township === code && w.level !== 'info')?.level ?? null,
        })) } }
      case 'heatmap': {
        const rows = TOWNSHIPS.map((_, i) => i).filter((i) => !township || TOWNSHIPS[i][0] === township)
        return { label: '乡镇 × 月份业务量', type: 'heatmap', unit: '件', data: { x: months, y: rows.map((i) => TOWNSHIPS[i][1]), unit: '件',
          values: rows.flatMap((i, yi) => heat[i].map((v, x) => [x, yi, v])) } }
      }
      case 'warnings':
        return { label: '预警信息', type: 'table', data: { items: warnings.filter((w) => !township || !w.township || w.township === township).slice(0, 50) } }
    }
    return null
  }

  // ---- live changes ------------------------------------------------------------------------
  const clients = new Set()
  function publish(topic, data) {
    const text = JSON.stringify({ topic, data })
    for (const c of clients) if (c.topics.has(topic)) c.send(text)
  }
  let warnSeq = 100
  function tick() {
    asOf = Date.now()
    const add = int(40, 160)
    monthly[11].accepted += add
    monthly[11].completed += Math.round(add * 0.95)
    for (let i = 0; i < 5; i++) heat[int(0, 30)][11] += int(5, 40)
    const o = int(0, OUTLETS.length - 1)
    outlets[o].accepted += int(3, 20)
    outlets[o].completed += int(2, 18)
    consult[int(0, 2)].values[11] += int(10, 60)
    kpi.paidFen += int(1, 9) * 1_000_000
    recompute()
    const changed = ['kpi', 'business_monthly', 'township_map', 'heatmap', 'outlet_handling', 'consultation']
    if (rand() < 0.3) {
      const [code, n] = TOWNSHIPS[int(3, 30)]
      warnings.unshift({ id: ++warnSeq, level: rand() < 0.4 ? 'alarm' : 'warn', title: '业务量异常', message: `${n}本月业务量较上月同期波动超过 20%`, township: code, townshipName: n, atMs: Date.now() })
      warnings.splice(50)
      changed.push('warnings')
    }
    publish('screen.update', { items: changed, asOf })
    return changed
  }
  const timer = tickMs > 0 ? setInterval(tick, tickMs) : null
  timer?.unref?.()

  /**
   * Follows the hub sockets that scripts/mock-datacenter.mjs answers on
   * /api/v1/ws (it owns the handshake): reads the client frames for
   * subscribe/unsubscribe and writes `screen.update` to subscribers.
   */
  function attachHub(server) {
    server.on('upgrade', (req, socket) => {
      if (!req.url?.startsWith('/api/v1/ws') || !req.headers['sec-websocket-key']) return
      const client = {
        topics: new Set(),
        socket,
        send: (text) => sendText(socket, text),
      }
      clients.add(client)
      readFrames(socket, (op, payload) => {
        if (op !== 1) return
        try {
          const msg = JSON.parse(payload.toString('utf8'))
          if (msg.op === 'subscribe' && typeof msg.topic === 'string') client.topics.add(msg.topic)
          else if (msg.op === 'unsubscribe') client.topics.delete(msg.topic)
        } catch {
          /* the hub answers bad frames */
        }
      })
      const drop = () => clients.delete(client)
      socket.on('close', drop)
      socket.on('error', drop)
    })
  }

  /** Mock-only controls for the e2e test; true when answered. */
  function control(req, res, path) {
    if (!path.startsWith('/__mock/screen/')) return false
    const reply = (status, body) => {
      res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' })
      res.end(JSON.stringify(body))
    }
    if (req.method !== 'POST') return reply(405, { code: 'METHOD_NOT_ALLOWED', message: '仅支持 POST' }), true
    if (path === '/__mock/screen/tick') return reply(200, { items: tick(), asOf }), true
    if (path === '/__mock/screen/drop-hub') {
      const n = clients.size
      for (const c of clients) c.socket.destroy()
      clients.clear()
      return reply(200, { dropped: n }), true
    }
    return reply(404, { code: 'NOT_FOUND', message: '接口不存在' }), true
  }

  /** /media/<path>: HLS playlists and segments from mediaDir, for signed-in sessions only. */
  async function serveMedia(req, res, path, hasSession) {
    const fail = (status, text) => {
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' })
      res.end(text)
    }
    if (!hasSession) return fail(401, '未登录')
    if (!mediaDir) return fail(404, '未配置视频目录')
    const rel = normalize(path.slice('/media/'.length))
    const type = MEDIA_TYPES[extname(rel)]
    if (!type || rel.startsWith('..') || rel.split(sep).includes('..')) return fail(404, '文件不存在')
    const root = resolve(mediaDir)
    const file = join(root, rel)
    if (!file.startsWith(root + sep)) return fail(404, '文件不存在')
    try {
      const st = await stat(file)
      if (!st.isFile()) return fail(404, '文件不存在')
      res.writeHead(200, { 'Content-Type': type, 'Content-Length': st.size, 'Cache-Control': extname(rel) === '.m3u8' ? 'no-cache' : 'max-age=60' })
      if (req.method === 'HEAD') return res.end()
      createReadStream(file).pipe(res)
    } catch {
      fail(404, '文件不存在')
    }
  }

  async function handle(ctx) {
    const { req, res, path, url, body, sendJson, user, err, need, can, log } = ctx
    if (!path.startsWith('/api/v1/screen/')) return false
    const method = req.method
    if (path === '/api/v1/screen/config' && method === 'GET') {
      if (!need('screen:view')) return true
      return sendJson(res, 200, config), true
    }
    if (path === '/api/v1/screen/config' && method === 'PUT') {
      if (!need('screen:manage')) return true
      const b = (await body()) ?? {}
      const problem = validateScreenConfig(b)
      if (problem) return err(400, 'INVALID_ARGUMENT', problem), true
      config = { ...defaultScreenConfig(), ...b }
      log('screen.config.update', 'success', 'screen_config', 'default', '')
      return sendJson(res, 200, config), true
    }
    if (path === '/api/v1/screen/data' && method === 'GET') {
      if (!need('screen:view')) return true
      const names = (url.searchParams.get('items') ?? '').split(',').map((s) => s.trim()).filter(Boolean)
      if (!names.length) return err(400, 'INVALID_ARGUMENT', '请指定统计项 items'), true
      if (names.length > 20) return err(400, 'INVALID_ARGUMENT', '每次最多请求 20 个统计项'), true
      const unknown = names.find((n) => !SCREEN_ITEMS.includes(n))
      if (unknown) return err(400, 'INVALID_ARGUMENT', `未知的统计项：${unknown.slice(0, 40)}`), true
      // Data scope: county-wide users ("*" or a county division) see everything, others their township.
      const division = String(user.divisionCode ?? '')
      const scoped = !can('*') && !user.permissions.includes('*') && /^511724\d{3}/.test(division) && division.length >= 9
      const scope = scoped ? { township: division.slice(0, 9) } : null
      const items = {}
      for (const n of names) items[n] = { ...item(n, scope), ...(scoped ? { scoped: true } : {}) }
      return sendJson(res, 200, { asOf, items }), true
    }
    return err(404, 'NOT_FOUND', '接口不存在'), true
  }

  return { handle, attachHub, control, serveMedia, tick, publish }
}
