// 数据中心 · 数据字典 (datacenter:dict:read):
//   GET /datacenter/dictionary/sources?system&q&page&size → {items, total, page, size}
//   GET /datacenter/dictionary/sources/{no}
//   GET /datacenter/dictionary/entities → {version, items: entity + fields}
//   GET /datacenter/dictionary/codesets → {version, items: code set + values}
//   GET /datacenter/dictionary/export.csv (UTF-8 with BOM; audited)
import { http } from '@shared/api/http'
import type { Id } from './auth'
import { asItems, asPage, type Page, type PageQuery } from './list'

export interface DictSource {
  no: number
  system: string
  system_name: string
  name: string
  entities: string[]
  method: string
  method_label: string
  status: string
  mapping_rule: string
  mapping_manual: boolean
}

export interface DictField {
  name: string
  label: string
  type: string
  code_set: string
  sensitivity: string
  description: string
}

export interface DictEntity {
  code: string
  name: string
  description: string
  fields: DictField[]
}

export interface DictCodeSet {
  code: string
  name: string
  standard: string
  version: string
  values: { value: string; label: string }[]
}

export interface SourceQuery extends PageQuery {
  system?: string
  q?: string
}

export const DICTIONARY_EXPORT_URL = '/api/v1/datacenter/dictionary/export.csv'

export const dictionaryApi = {
  sources: async (query: SourceQuery) =>
    asPage<DictSource>(await http.get('/api/v1/datacenter/dictionary/sources', { query: { ...query } }), query),
  entities: async () => asItems<DictEntity>(await http.get('/api/v1/datacenter/dictionary/entities')),
  codeSets: async () => asItems<DictCodeSet>(await http.get('/api/v1/datacenter/dictionary/codesets')),
}

// ---------------------------------------------------------------------------
// 数据中心 · collection, quality, queries (docs/api/datacenter.md). Paths under
// /api/v1/datacenter; amounts in fen, periods YYYYMM integers, times epoch ms;
// ID numbers, names of others and phones arrive masked.
// ---------------------------------------------------------------------------
const DC = '/api/v1/datacenter'

export type BatchStatus = 'running' | 'succeeded' | 'failed' | 'interrupted'
export type BatchTrigger = 'manual' | 'schedule' | 'cli' | 'push'
export type JobMethod = 'file' | 'db' | 'http' | 'push'

export interface QualityRule {
  rule: string
  name: string
  dimension: QualityDimension
  checked: number
  failed: number
  score: number
}

export interface Batch {
  id: Id
  jobId: Id
  jobName: string
  trigger: BatchTrigger
  /** Username (or the trigger's source); triggeredByName is the account's display name. */
  triggeredBy: string
  triggeredByName?: string
  status: BatchStatus
  startedAt: number
  finishedAt: number | null
  rowsRead: number
  rowsInserted: number
  rowsUpdated: number
  rowsUnchanged: number
  rowsDeleted: number
  rowsQuarantined: number
  progressDone: number
  progressTotal: number
  currentStream: string
  error: string
  /** GET /batches/{id} only. */
  quality?: QualityRule[]
}

export interface Job {
  id: Id
  code: string
  name: string
  system: string
  systemName: string
  method: JobMethod
  config: Record<string, unknown>
  cron: string
  enabled: boolean
  lastBatch: Batch | null
  nextRunAt: number | null
}

export interface JobUpdate {
  name: string
  system: string
  method: JobMethod
  config: Record<string, unknown>
  cron: string
  enabled: boolean
}

/** The hub topic `datacenter.batch` message. */
export interface BatchProgress {
  batchId: Id
  jobId: Id
  status: BatchStatus
  progressDone: number
  progressTotal: number
  rowsRead: number
  rowsQuarantined: number
  /** The stream being loaded, or 「重建索引 i/n：name」 while deferred indexes are rebuilt. */
  currentStream: string
}

export type QuarantineStatus = 'open' | 'fixed' | 'reprocessed' | 'discarded'

export interface QuarantineItem {
  id: Id
  jobId: Id
  batchId: Id
  system: string
  stream: string
  line: number | null  // a file's line; null for pulled or pushed records (srcKey names them)
  srcKey: string
  record: Record<string, string>
  reasonCode: string
  reason: string
  status: QuarantineStatus
  fixed: Record<string, string> | null
  updatedAt: number
  updatedBy: string
  updatedByName?: string
}

export interface QuarantineQuery extends PageQuery {
  jobId?: Id
  batchId?: Id
  reason?: string
  status?: QuarantineStatus | ''
}

export interface ReprocessResult {
  reprocessed: number
  stillFailing: { id: Id; reasonCode: string; reason: string }[]
}

export type QualityDimension = 'completeness' | 'validity' | 'consistency' | 'timeliness'

export interface QualitySystem {
  system: string
  name: string
  score: number
  /** null: nothing of that dimension was checked in the period (e.g. 及时性 of a file source without change dates). */
  dimensions: Record<QualityDimension, number | null>
  batches: { batchId: Id; at: number; score: number }[]
}

export interface QualityReport {
  systems: QualitySystem[]
  rules: QualityRule[]
}

export interface Conflict {
  id: Id
  personId: Id
  /** A dc_person column: `birth_date` or `gender`. */
  field: string
  values: { system: string; value: string }[]
  status: 'open' | 'resolved'
  /** The chosen value and note once resolved ("1980-03-05；核对户籍"). */
  resolution: string
  personName: string
  /** Masked. */
  idNumber: string
}

/** A source value → standard value row of dc_code_map (GET /codemaps). */
export interface CodeMap {
  system: string
  /** The mapping's code set (`gender`, `enrolment_status`, `arrival_flag` …). */
  codeSet: string
  srcValue: string
  stdValue: string
  /** Set by a person through PUT /codemaps (not a seeded default). */
  manual: boolean
}

export interface CodeMapUpdate {
  system: string
  codeSet: string
  srcValue: string
  stdValue: string
}

export interface PersonHit {
  id: Id
  name: string
  idNumber: string
  gender: string
  birthDate: string
  divisionCode: string
  divisionName: string
  systems: string[]
}

export interface UnitHit {
  id: Id
  name: string
  creditCode: string
  unitNo: string
  unitType: string
  divisionCode: string
  divisionName: string
  status: string
}

export interface SearchResult {
  /** How the server read `q`. */
  kind?: 'idNumber' | 'nameBirthDate' | 'creditCode' | 'unitNo' | 'unitName'
  persons: PersonHit[]
  units: UnitHit[]
}

export interface PersonSource {
  system: string
  srcKey: string
  name: string
  birthDate: string
  batchId: Id | null
  updatedAt: number
}

export type Row = Record<string, unknown>

export interface ContributionSummary {
  insuranceType: string
  months: number
  firstPeriod: number
  lastPeriod: number
  totalPersonalFen: number
  totalUnitFen: number
  /** Gap months (a count; the ranges come from /contributions). */
  gaps: number
  arrearsFen: number
  /** 居保 government subsidy (paid rows). */
  totalSubsidyFen: number
}

export interface Person360 {
  person: {
    id: Id
    name: string
    idNumber: string
    gender: string
    birthDate: string
    age: number
    /** YYYY-MM-DD, or empty. */
    deathDate: string
    divisionCode: string
    divisionName: string
    mobile: string
    sources: PersonSource[]
    /** Open conflicts: {id, field, values:[{system, value}], status}. */
    conflicts: Row[]
  }
  enrolments?: Row[] | null
  contributions?: { summary: ContributionSummary[] } | null
  benefits?: { entitlements: Row[]; payments: { recent: Row[]; totalFen: number } } | null
  employment?: Row[] | null
  cases?: Row[] | null
  archives?: Row[] | null
  institution?: Row[] | null
  restricted?: string[]
}

export interface Gap {
  from: number
  to: number
  months: number
  insuranceType?: string
}

export interface ContributionMonth {
  period: number
  insuranceType: string
  baseFen: number
  personalFen: number
  unitFen: number
  status: string
  unitNo: string
}

export interface PersonContributions {
  months: ContributionMonth[]
  gaps: Gap[]
  arrearsFen: number
  restricted?: string[]
}

export interface Unit360 {
  unit: {
    id: Id
    creditCode: string
    unitNo: string
    name: string
    unitType: string
    industry: string
    divisionCode: string
    divisionName: string
    /** Masked. */
    legalPerson: string
    status: string
    sources: Row[]
  }
  roster?: { total: number; byInsuranceType: Record<string, number> } | null
  contributions?: { byMonth: { period: number; persons: number; totalFen: number }[] } | null
  arrears?: { totalFen: number; items: Row[] } | null
  cases?: Row[] | null
  restricted?: string[]
}

export interface RosterRow {
  personId: Id
  name: string
  idNumber: string
  insuranceTypes: string[]
  since: string
}

export type DomainCode = 'jubao' | 'jibao' | 'shebao' | 'jiuye' | 'jiancha' | 'dangan' | 'renshi'

/** The tables of each domain (GET /domain/{domain}?entity=); the first is the default. */
export const DOMAIN_ENTITIES: Record<DomainCode, string[]> = {
  jubao: ['enrolment', 'contribution', 'benefit', 'payment'],
  shebao: ['enrolment', 'contribution', 'arrears', 'benefit', 'payment'],
  jibao: ['enrolment', 'contribution', 'benefit', 'payment'],
  jiuye: ['employment'],
  jiancha: ['case'],
  dangan: ['archive'],
  renshi: ['institution'],
}
/** Entities whose from/to are periods (YYYYMM); the others filter by date. */
export const PERIOD_ENTITIES = ['contribution', 'payment', 'arrears']

export interface DomainQuery extends PageQuery {
  entity?: string
  division?: string
  q?: string
  from?: string
  to?: string
}

export type ExportStatus = 'pending' | 'approved' | 'rejected' | 'downloaded' | 'expired'

export interface ExportRequest {
  id: Id
  domain: DomainCode
  /** {entity, division, from, to, q} */
  filters: Record<string, unknown>
  reason: string
  status: ExportStatus
  /** Usernames; the display names beside them. */
  requester: string
  requesterName: string
  approver: string
  approverName: string
  createdAt: number
  /** 0 while pending. */
  decidedAt: number
  decisionNote: string
  /** Rows of the file, once downloaded (0 before). */
  rowCount: number
  downloadedAt: number
}

/** A page of domain rows: `total` is exact up to 10,000, then `totalCapped`. */
export interface DomainPage extends Page<Row> {
  totalCapped?: boolean
  entity?: string
}

const path = (id: Id) => encodeURIComponent(String(id))

export const datacenterApi = {
  // collection
  jobs: async () => asItems<Job>(await http.get(`${DC}/jobs`)),
  job: (id: Id) => http.get<Job>(`${DC}/jobs/${path(id)}`),
  updateJob: (id: Id, body: JobUpdate) => http.put<Job>(`${DC}/jobs/${path(id)}`, body),
  runJob: (id: Id) => http.post<{ batchId: Id }>(`${DC}/jobs/${path(id)}/run`),
  batches: async (query: PageQuery & { jobId?: Id; status?: string }) =>
    asPage<Batch>(await http.get(`${DC}/batches`, { query: { ...query } }), query),
  batch: (id: Id) => http.get<Batch>(`${DC}/batches/${path(id)}`),
  quarantine: async (query: QuarantineQuery) =>
    asPage<QuarantineItem>(await http.get(`${DC}/quarantine`, { query: { ...query, status: query.status || undefined } }), query),
  fixQuarantine: (id: Id, record: Record<string, string>) => http.put<QuarantineItem>(`${DC}/quarantine/${path(id)}`, { record }),
  reprocess: (ids: Id[]) => http.post<ReprocessResult>(`${DC}/quarantine/reprocess`, { ids }),
  discard: (id: Id, note: string) => http.post<void>(`${DC}/quarantine/${path(id)}/discard`, { note }),
  quality: (query: { system?: string; days?: number } = {}) => http.get<QualityReport>(`${DC}/quality`, { query: { ...query } }),
  conflicts: async (query: PageQuery & { status?: string }) =>
    asPage<Conflict>(await http.get(`${DC}/conflicts`, { query: { ...query } }), query),
  resolveConflict: (id: Id, value: string, note: string) => http.post<void>(`${DC}/conflicts/${path(id)}/resolve`, { value, note }),
  codeMaps: async (query: { system?: string; codeSet?: string } = {}) =>
    asItems<CodeMap>(await http.get(`${DC}/codemaps`, { query: { system: query.system || undefined, codeSet: query.codeSet || undefined } })),
  /** 204; applies from the next batch (audited). */
  putCodeMap: (body: CodeMapUpdate) => http.put<void>(`${DC}/codemaps`, body),
  // queries
  search: (q: string, page = 1, size = 20) => http.get<SearchResult>(`${DC}/search`, { query: { q, page, size } }),
  person: (id: Id) => http.get<Person360>(`${DC}/persons/${path(id)}`),
  personContributions: (id: Id, query: { insuranceType?: string; from?: number; to?: number } = {}) =>
    http.get<PersonContributions>(`${DC}/persons/${path(id)}/contributions`, { query: { ...query } }),
  unit: (id: Id) => http.get<Unit360>(`${DC}/units/${path(id)}`),
  roster: async (id: Id, query: PageQuery) =>
    asPage<RosterRow>(await http.get(`${DC}/units/${path(id)}/roster`, { query: { ...query } }), query),
  domain: async (domain: DomainCode, query: DomainQuery): Promise<DomainPage> => {
    const raw = await http.get<{ totalCapped?: boolean; entity?: string }>(`${DC}/domain/${domain}`, { query: { ...query } })
    return { ...asPage<Row>(raw, query), totalCapped: !!raw?.totalCapped, entity: raw?.entity }
  },
  // exports
  requestExport: (domain: DomainCode, filters: Record<string, unknown>, reason: string) =>
    http.post<{ id: Id; status: ExportStatus }>(`${DC}/exports`, { domain, filters, reason }),
  exports: async (query: PageQuery) => asPage<ExportRequest>(await http.get(`${DC}/exports`, { query: { ...query } }), query),
  approveExport: (id: Id, note: string) => http.post<ExportRequest>(`${DC}/exports/${path(id)}/approve`, { note }),
  rejectExport: (id: Id, note: string) => http.post<ExportRequest>(`${DC}/exports/${path(id)}/reject`, { note }),
  exportDownloadUrl: (id: Id) => `${DC}/exports/${path(id)}/download`,
}

/** The unmask object type of a data center person (query_person.cc registers it). */
export const DC_PERSON_OBJECT = 'dc_person'

/**
 * POST /api/v1/pii/unmask (docs/api/identity.md): one value, with a reason; may
 * ask for re-authentication. `objectId` travels as a string (the server refuses numbers).
 */
export const piiApi = {
  unmask: (objectType: string, objectId: Id, field: string, reason: string) =>
    http.post<{ value: string }>('/api/v1/pii/unmask', { objectType, objectId: String(objectId), field, reason }),
}
