// The check runner the Chromium end-to-end scripts share: one line per check
// ("ok - name" / "not ok - name: first lines of the error" / "skip - name"),
// then "N passed, M failed[, K skipped]". finish() exits non-zero when a check
// failed or none passed (a run that checked nothing is not a pass).

/** The error's message without ANSI colours, its first `lines` lines joined. */
function firstLines(err, lines = 3) {
  return String(err?.message ?? err)
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .slice(0, lines)
    .join(' | ')
}

export function assert(condition, message) {
  if (!condition) throw new Error(message)
}

/**
 * onFail(n), when given, runs after the n-th check (counting passed and
 * failed) failed, e.g. to save a screenshot; its own errors are ignored.
 */
export function createHarness({ onFail } = {}) {
  let passed = 0
  let failed = 0
  let skipped = 0
  function fail(name, err) {
    failed++
    console.log(`not ok - ${name}: ${firstLines(err)}`)
  }
  async function check(name, fn) {
    try {
      await fn()
      passed++
      console.log(`ok - ${name}`)
    } catch (err) {
      fail(name, err)
      if (onFail) await Promise.resolve().then(() => onFail(passed + failed)).catch(() => {})
    }
  }
  function skip(name) {
    skipped++
    console.log(`skip - ${name}`)
  }
  function finish() {
    console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
    process.exit(failed > 0 || passed === 0 ? 1 : 0)
  }
  return { check, skip, fail, finish }
}
