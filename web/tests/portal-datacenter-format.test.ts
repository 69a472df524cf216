// Helpers of the data center pages: fen → yuan, YYYYMM periods, gaps (断缴),
// batch progress, restricted sections, the quarantine edit form's checks.
import { describe, expect, it } from 'vitest'
import {
  checkQuarantineValue,
  columnKind,
  contributionTimeline,
  findGaps,
  formatCell,
  formatFen,
  formatPeriod,
  gapMonths,
  gapPeriods,
  isGapPeriod,
  isRestricted,
  periodRange,
  progressPercent,
  tableColumns,
  validateQuarantineForm,
  validCron,
  validIdNumber,
} from '../apps/portal/views/datacenter/format'
import type { ContributionMonth } from '../apps/portal/api/datacenter'

const month = (period: number, status = 'paid', personalFen = 33600, unitFen = 67200): ContributionMonth => ({
  period, insuranceType: '110', baseFen: 420000, personalFen, unitFen, status, unitNo: '511724001201',
})

describe('formatFen', () => {
  it('formats fen as yuan with 2 decimals and thousands separators', () => {
    expect(formatFen(123450)).toBe('¥1,234.50')
    expect(formatFen(0)).toBe('¥0.00')
    expect(formatFen(5)).toBe('¥0.05')
    expect(formatFen(100000000)).toBe('¥1,000,000.00')
    expect(formatFen(-2096)).toBe('-¥20.96')
    expect(formatFen('33600')).toBe('¥336.00')
  })
  it('shows a dash for nothing', () => {
    expect(formatFen(null)).toBe('—')
    expect(formatFen(undefined)).toBe('—')
    expect(formatFen(Number.NaN)).toBe('—')
  })
})

describe('formatPeriod', () => {
  it('shows YYYYMM as 2024年03月', () => {
    expect(formatPeriod(202403)).toBe('2024年03月')
    expect(formatPeriod('202412')).toBe('2024年12月')
    expect(formatPeriod('2024-01')).toBe('2024年01月')
  })
  it('leaves other values as they came', () => {
    expect(formatPeriod(202413)).toBe('202413')
    expect(formatPeriod(0)).toBe('—')
  })
  it('counts months across years', () => {
    expect(periodRange(202311, 202402)).toEqual([202311, 202312, 202401, 202402])
  })
})

describe('gaps (断缴)', () => {
  const gaps = [{ from: 202104, to: 202109, months: 6 }]
  it('knows which periods are in a gap', () => {
    expect(isGapPeriod(202104, gaps)).toBe(true)
    expect(isGapPeriod(202109, gaps)).toBe(true)
    expect(isGapPeriod(202103, gaps)).toBe(false)
    expect(isGapPeriod(202110, gaps)).toBe(false)
    expect(gapPeriods([{ from: 202312, to: 202401, months: 2 }])).toEqual(new Set([202312, 202401]))
  })
  it('sums gap months from a count or the ranges', () => {
    expect(gapMonths(4)).toBe(4)
    expect(gapMonths(gaps)).toBe(6)
    expect(gapMonths([{ from: 202301, to: 202303, months: 0 }])).toBe(3)
    expect(gapMonths(null)).toBe(0)
  })
  it('finds gaps from the months when the server sent none', () => {
    const months = [202101, 202102, 202105, 202106, 202110].map((p) => month(p))
    expect(findGaps(months)).toEqual([
      { from: 202103, to: 202104, months: 2 },
      { from: 202107, to: 202109, months: 3 },
    ])
    expect(findGaps([])).toEqual([])
  })
  it('builds a continuous timeline with gap months and unpaid amounts', () => {
    const points = contributionTimeline([month(202101), month(202104, 'due')], [{ from: 202102, to: 202103, months: 2 }])
    expect(points.map((p) => p.period)).toEqual([202101, 202102, 202103, 202104])
    expect(points.map((p) => p.gap)).toEqual([false, true, true, false])
    expect(points[0]).toMatchObject({ personalYuan: 336, unitYuan: 672, dueYuan: 0 })
    expect(points[3]).toMatchObject({ personalYuan: 0, dueYuan: 1008 })
  })
})

describe('batches', () => {
  it('computes the progress percentage', () => {
    expect(progressPercent({ status: 'running', progressDone: 3600, progressTotal: 24000 })).toBe(15)
    expect(progressPercent({ status: 'running', progressDone: 10, progressTotal: 0 })).toBe(0)
    expect(progressPercent({ status: 'succeeded', progressDone: 0, progressTotal: 0 })).toBe(100)
    expect(progressPercent({ status: 'running', progressDone: 30, progressTotal: 20 })).toBe(100)
  })
  it('accepts 5 or 6 field cron expressions', () => {
    expect(validCron('0 30 2 * * *')).toBe(true)
    expect(validCron('*/30 * * * *')).toBe(true)
    expect(validCron('every day')).toBe(false)
    expect(validCron('')).toBe(false)
  })
})

describe('360° sections and generic cells', () => {
  it('treats missing sections and wholly restricted domains as 无权查看', () => {
    const view = { enrolments: [], cases: null, employment: [] }
    expect(isRestricted(view, 'enrolments', [])).toBe(false)
    expect(isRestricted(view, 'cases', [])).toBe(true)
    expect(isRestricted(view, 'archives', [])).toBe(true)
    expect(isRestricted(view, 'employment', ['jiuye'])).toBe(true)
    expect(isRestricted(view, 'enrolments', ['jubao'])).toBe(false)
  })
  it('formats cells by column', () => {
    expect(formatCell('amountFen', 1860000)).toBe('¥18,600.00')
    expect(formatCell('period', 202603)).toBe('2026年03月')
    expect(formatCell('insuranceType', '110')).toBe('企业职工基本养老保险')
    expect(formatCell('status', 'due')).toBe('应缴未缴')
    expect(formatCell('eventType', 'training')).toBe('职业培训')
    expect(formatCell('divisionCode', '511724001')).toBe('竹阳街道')
    expect(formatCell('cause', '')).toBe('—')
  })
  it('orders columns and hides ids', () => {
    expect(tableColumns([{ id: 1, status: '1', insuranceType: '110', extra: 'x' }], ['insuranceType'])).toEqual(['insuranceType', 'status', 'extra'])
  })
})

describe('quarantine edit form', () => {
  it('recognises source columns of the dialects', () => {
    expect(columnKind('身份证号')).toBe('idNumber')
    expect(columnKind('aac002')).toBe('idNumber')
    expect(columnKind('到账日期')).toBe('date')
    expect(columnKind('aae003')).toBe('period')
    expect(columnKind('个人缴费')).toBe('amount')
    expect(columnKind('sjhm')).toBe('mobile')
    expect(columnKind('流水号')).toBe('text')
  })
  it('checks ID numbers with their check digit', () => {
    expect(validIdNumber('11010519491231002X')).toBe(true)
    expect(validIdNumber('110105194912310021')).toBe(false)
    expect(validIdNumber('11010519491331002X')).toBe(false)
  })
  it('checks values by column kind', () => {
    expect(checkQuarantineValue('到账日期', '2026-02-30')).toBe('date')
    expect(checkQuarantineValue('到账日期', '2026-02-28')).toBeNull()
    expect(checkQuarantineValue('个人缴费', '12..5')).toBe('amount')
    expect(checkQuarantineValue('个人缴费', '1,000.00')).toBeNull()
    expect(checkQuarantineValue('缴费年度', '2026年13月')).toBe('period')
    expect(checkQuarantineValue('aae003', '202603')).toBeNull()
    expect(checkQuarantineValue('aae005', '1380000')).toBe('mobile')
    expect(checkQuarantineValue('aac004', '男')).toBeNull()
    expect(checkQuarantineValue('备注', 'anything')).toBeNull()
  })
  it('requires a valid ID number and at least one change', () => {
    const original = { 身份证号: '110105194912310021', 到账日期: '2026-02-30' }
    const bad = validateQuarantineForm(original, { ...original })
    expect(bad.unchanged).toBe(true)
    expect(bad.errors).toEqual({ 身份证号: '身份证号格式或校验位不正确', 到账日期: '日期格式不正确，应为 YYYY-MM-DD 且为有效日期' })
    const empty = validateQuarantineForm(original, { 身份证号: '', 到账日期: '2026-02-28' })
    expect(empty.errors).toEqual({ 身份证号: '该字段不能为空' })
    const good = validateQuarantineForm(original, { 身份证号: '11010519491231002X', 到账日期: '2026-02-28' })
    expect(good).toEqual({ errors: {}, unchanged: false })
  })
})
