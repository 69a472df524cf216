// DEMO LAYOUT DATA — static numbers that only exist to lay out the big screen.
// They are not statistics of Dazhu County. The analytics issue replaces this
// module with live figures from the analytics API; the UI labels every panel
// fed from here as 演示布局.
export const DEMO = true

export const demoKpis = {
  insurance: [
    { key: 'pensionInsured', value: 612345, unit: 'person' },
    { key: 'unemploymentInsured', value: 45678, unit: 'person' },
    { key: 'injuryInsured', value: 56789, unit: 'person' },
    { key: 'cards', value: 987654, unit: 'person' },
  ],
  employment: [
    { key: 'newJobs', value: 4321, unit: 'person' },
    { key: 'jobPostings', value: 2468, unit: 'post' },
    { key: 'trainees', value: 3579, unit: 'personTimes' },
    { key: 'gigMatches', value: 1357, unit: 'personTimes' },
  ],
  overview: [
    { key: 'todayAccepted', value: 321, unit: 'item' },
    { key: 'todayCompleted', value: 298, unit: 'item' },
    { key: 'onlineKiosks', value: 42, unit: 'device' },
    { key: 'callsToday', value: 156, unit: 'call' },
  ],
  evaluation: [
    { key: 'satisfaction', value: 99.2, unit: 'percent' },
    { key: 'evaluations', value: 12345, unit: 'item' },
    { key: 'badReviews', value: 3, unit: 'item' },
  ],
} as const

/** Business volume per month, oldest first: [accepted, completed]. */
export const demoMonthlyVolume: ReadonlyArray<readonly [number, number]> = [
  [1820, 1760], [1650, 1600], [2100, 2030], [2380, 2290], [2250, 2200], [2480, 2410],
  [2620, 2550], [2540, 2500], [2790, 2700], [2910, 2850], [3050, 2960], [3180, 3090],
]
