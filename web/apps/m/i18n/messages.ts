// All user-visible text of the mobile web app "温暖人社" (/m/). Simplified Chinese.
export const messages = {
  document: {
    title: '温暖人社',
    noscript: '请启用浏览器的 JavaScript 功能后再使用温暖人社。',
  },
  appName: '温暖人社',
  org: '大竹县人力资源和社会保障局',
  comingSoon: '该服务即将开放，敬请期待',
  sample: '示例',
  tabs: {
    home: '首页',
    services: '办事',
    query: '查询',
    me: '我的',
  },
  home: {
    greeting: '您好，欢迎使用温暖人社',
    subtitle: '社保就业业务，掌上随时办',
    notice: '（示例公告）城乡居民养老保险集中缴费期已开始，可在“办事”中在线缴费。',
    servicesTitle: '常用服务',
    hotTitle: '热门资讯',
    hotItems: ['（示例）春风行动线上招聘会岗位发布', '（示例）社保卡激活与金融功能使用指南', '（示例）灵活就业人员参保缴费说明'],
  },
  services: [
    { key: 'insured', name: '参保查询', icon: 'search' },
    { key: 'certify', name: '待遇认证', icon: 'contact' },
    { key: 'pay', name: '居民缴费', icon: 'balance-pay' },
    { key: 'card', name: '社保卡', icon: 'credit-pay' },
    { key: 'jobs', name: '找工作', icon: 'bag-o' },
    { key: 'gig', name: '零工市场', icon: 'friends-o' },
    { key: 'training', name: '技能培训', icon: 'medal-o' },
    { key: 'complaint', name: '欠薪投诉', icon: 'warning-o' },
  ],
  handle: {
    title: '办事',
    groups: [
      { title: '社会保险', items: ['城乡居民养老保险参保登记', '养老保险待遇申领', '失业保险金申领', '工伤认定申请'] },
      { title: '就业创业', items: ['就业登记', '失业登记', '创业担保贷款申请'] },
      { title: '劳动关系', items: ['欠薪投诉', '劳动争议调解申请'] },
    ],
  },
  query: {
    title: '查询',
    items: ['个人参保信息', '缴费记录', '待遇发放记录', '社保卡状态', '办件进度', '政策文件'],
    loginHint: '查询个人信息需先登录并完成实名认证',
  },
  me: {
    notLoggedIn: '未登录',
    loginHint: '登录后可查看个人社保信息',
    login: '登录 / 实名认证',
    items: ['我的办件', '我的评价', '消息通知', '常见问题', '关于温暖人社'],
    hotline: '人社服务热线 12333',
  },
} as const
