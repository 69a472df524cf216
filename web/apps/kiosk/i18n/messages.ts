// All user-visible text of the self-service kiosk (/kiosk/). Simplified Chinese.
export const messages = {
  document: {
    title: '大竹县人社自助服务终端',
    noscript: '自助服务终端需要启用 JavaScript。',
  },
  org: '大竹县人力资源和社会保障局',
  title: '人社自助服务终端',
  start: {
    prompt: '请刷身份证或社保卡',
    hint: '请将身份证或社保卡放置在下方感应区',
    noCard: '无卡办理 / 政策查询',
    privacy: '为保护您的个人信息，离开前请取回证件；60 秒无操作将自动返回首页。',
  },
  menu: {
    greetingAnonymous: '您好！当前未读卡，仅可办理无需身份核验的业务',
    greetingHolder: '您好，',
    home: '返回首页',
    chooseService: '请选择要办理的业务',
    services: [
      { key: 'insured', name: '参保信息查询', needsCard: true },
      { key: 'payments', name: '缴费记录打印', needsCard: true },
      { key: 'certificate', name: '参保证明打印', needsCard: true },
      { key: 'certify', name: '待遇资格认证', needsCard: true },
      { key: 'employment', name: '就业登记', needsCard: true },
      { key: 'card', name: '社保卡服务', needsCard: true },
      { key: 'policy', name: '政策查询', needsCard: false },
      { key: 'guide', name: '办事指南', needsCard: false },
    ],
    needsCard: '需刷卡',
  },
  service: {
    comingSoon: '该业务即将开放',
    comingSoonHint: '自助办理功能建设中，请到服务窗口办理或拨打 12333 咨询。',
    cardRequired: '请先刷身份证或社保卡',
    back: '返回上一步',
  },
  idle: {
    title: '您已较长时间未操作',
    countdown: '秒后将自动返回首页并清除您的信息',
    stay: '继续办理',
  },
} as const
