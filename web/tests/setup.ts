// Element Plus form validation (async-validator) logs every failed rule to the
// console outside production builds; the tests check the messages on screen instead.
;(globalThis as Record<string, unknown>).ASYNC_VALIDATOR_NO_WARNING = 1
