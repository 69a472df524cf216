// 数据中心 · 数据字典 (datacenter:dict:read):
//   GET /datacenter/dictionary/sources?system&q&page&size → {items, total, page, size}
//   GET /datacenter/dictionary/sources/{no}
//   GET /datacenter/dictionary/entities → {version, items: entity + fields}
//   GET /datacenter/dictionary/codesets → {version, items: code set + values}
//   GET /datacenter/dictionary/export.csv (UTF-8 with BOM; audited)
import { http } from '@shared/api/http'
import { asItems, asPage, type PageQuery } from './list'

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
