// 代码映射 helpers: which code sets each source system maps (the dialects'
// Code(...) calls and codemap.cc's seeds), the standard code set whose values
// a mapping's target is (dictionary GET /codesets), the limits PUT /codemaps
// enforces, and reading an UNKNOWN_CODE quarantine reason back into
// {codeSet, srcValue} so 问题数据 can link to a pre-filled new mapping.
import type { DictCodeSet } from '../../api/datacenter'

export const CODEMAP_SYSTEMS = ['jubao', 'shebao', 'jibao', 'jiuye', 'jiancha'] as const

/** Code sets each source's dialect looks up (src/modules/datacenter/dialect_*.cc). */
export const SYSTEM_CODE_SETS: Record<string, string[]> = {
  jubao: ['gender', 'enrolment_status', 'payment_status'],
  shebao: ['gender', 'enrolment_status', 'insurance_type', 'payment_status', 'arrival_flag', 'benefit_type', 'unit_type'],
  jibao: ['gender'],
  jiuye: ['gender', 'employment_event_type'],
  jiancha: ['gender', 'case_status', 'case_type'],
}

/** Every mapping code set, in a stable order. */
export const ALL_CODE_SETS: string[] = [...new Set(Object.values(SYSTEM_CODE_SETS).flat())]

/**
 * The standard (dictionary) code set a mapping's target value belongs to:
 * the same code, except 社保's 到账标志 (arrival_flag → payment_status).
 * `case_type` has no dictionary code set (free input).
 */
const STANDARD_OF: Record<string, string | null> = { arrival_flag: 'payment_status', case_type: null }
export function standardCodeSet(codeSet: string): string | null {
  return codeSet in STANDARD_OF ? STANDARD_OF[codeSet] : codeSet
}

/** The standard set's values (value + label) for a mapping code set, [] when none is known. */
export function standardValues(codeSet: string, sets: readonly DictCodeSet[]): { value: string; label: string }[] {
  const code = standardCodeSet(codeSet)
  return (code && sets.find((s) => s.code === code)?.values) || []
}

/** The Chinese label of a standard value, '' when the code set or value is unknown. */
export function standardLabel(codeSet: string, value: string, sets: readonly DictCodeSet[]): string {
  return standardValues(codeSet, sets).find((v) => v.value === value)?.label ?? ''
}

/** The name of a mapping code set: the dictionary's, else `fallback[codeSet]`, else the code. */
export function codeSetName(codeSet: string, sets: readonly DictCodeSet[], fallback: Record<string, string> = {}): string {
  return sets.find((s) => s.code === codeSet)?.name ?? fallback[codeSet] ?? codeSet
}

/** UTF-8 byte length (the server counts bytes). */
export const utf8Bytes = (s: string) => new TextEncoder().encode(s).length

export type CodeMapErrorKey = 'system' | 'codeSet' | 'srcValue' | 'stdValue'
export type CodeMapErrorReason = 'required' | 'tooLong'

/** PUT /codemaps rules: system one of the five, codeSet and stdValue 1–64 bytes, srcValue ≤ 64 bytes. */
export function validateCodeMap(m: { system: string; codeSet: string; srcValue: string; stdValue: string }): Partial<Record<CodeMapErrorKey, CodeMapErrorReason>> {
  const errors: Partial<Record<CodeMapErrorKey, CodeMapErrorReason>> = {}
  if (!(CODEMAP_SYSTEMS as readonly string[]).includes(m.system)) errors.system = 'required'
  if (!m.codeSet.trim()) errors.codeSet = 'required'
  else if (utf8Bytes(m.codeSet) > 64) errors.codeSet = 'tooLong'
  if (utf8Bytes(m.srcValue) > 64) errors.srcValue = 'tooLong'
  if (!m.stdValue.trim()) errors.stdValue = 'required'
  else if (utf8Bytes(m.stdValue) > 64) errors.stdValue = 'tooLong'
  return errors
}

/**
 * An UNKNOWN_CODE reason as the server writes it (dialect_common.cc Code):
 * "<reason text>：<label>（代码集 <code_set>）的源值「<value>」" → {codeSet, srcValue};
 * null when it does not have that shape.
 */
export function parseUnknownCode(reason: string | null | undefined): { codeSet: string; srcValue: string } | null {
  if (!reason) return null
  const set = reason.match(/([a-z][a-z0-9_]*)\s*）/)
  const value = reason.match(/「([^」]*)」\s*$/)
  if (!set || !value) return null
  return { codeSet: set[1], srcValue: value[1] }
}

