// The password policy of DOMAIN.md as the portal checks it before sending:
// ≥ 8 characters, 3 of 4 classes (upper, lower, digit, symbol), not containing
// the username. "Not one of the last 5" only the server can check; it answers
// 400 PASSWORD_POLICY with the rule in its message.
import type { FormItemRule } from 'element-plus'
import { messages } from '../i18n/messages'

const p = messages.passwordPolicy

export function passwordClasses(password: string): number {
  return [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length
}

/** The first rule `password` breaks, as a Chinese sentence; null when it passes. */
export function passwordProblem(password: string, username = ''): string | null {
  if (password.length < 8) return p.tooShort
  if (passwordClasses(password) < 3) return p.classes
  const name = username.trim().toLowerCase()
  if (name && password.toLowerCase().includes(name)) return p.containsUsername
  return null
}

/** Element Plus form rules for a new password and its confirmation. */
export function newPasswordRules(username: () => string, newPassword: () => string): {
  newPassword: FormItemRule[]
  confirmPassword: FormItemRule[]
} {
  return {
    newPassword: [
      { required: true, message: p.required, trigger: 'blur' },
      {
        trigger: 'blur',
        validator: (_rule, value: string, callback) => {
          const problem = passwordProblem(value ?? '', username())
          if (problem) callback(new Error(problem))
          else callback()
        },
      },
    ],
    confirmPassword: [
      { required: true, message: p.confirmRequired, trigger: 'blur' },
      {
        trigger: 'blur',
        validator: (_rule, value: string, callback) => {
          if (value !== newPassword()) callback(new Error(p.mismatch))
          else callback()
        },
      },
    ],
  }
}
