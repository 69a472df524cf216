// All user-visible text of the public website (/). Simplified Chinese.
export const messages = {
  document: {
    title: '大竹县人力资源和社会保障局 公共服务平台',
    noscript: '请启用浏览器的 JavaScript 功能后再访问大竹县人社公共服务平台。',
  },
  header: {
    org: '大竹县人力资源和社会保障局',
    platform: '公共服务平台',
    hotline: '服务热线',
    hotlineNumber: '12333',
    staffLogin: '工作人员登录',
    mobile: '移动端',
  },
  nav: [
    { key: 'home', label: '首页', href: '#top' },
    { key: 'intro', label: '平台介绍', href: '#intro' },
    { key: 'open', label: '政务公开', href: '#news' },
    { key: 'guide', label: '办事指南', href: '#services' },
    { key: 'booking', label: '办事预约', href: '#services' },
    { key: 'acceptance', label: '业务受理', href: '#services' },
    { key: 'help', label: '帮助中心', href: '#help' },
  ],
  hero: {
    title: '大竹县人社公共服务平台',
    subtitle: '社保、就业、人才、劳动关系业务一网通办，让数据多跑路、群众少跑腿',
    primary: '在线办事',
    secondary: '办事指南',
    searchPlaceholder: '搜索办事事项，如：养老保险、失业金、社保卡',
    search: '搜索',
    searchComingSoon: '事项搜索即将开放，请先通过下方热门服务或 12333 热线咨询',
  },
  services: {
    title: '热门服务',
    comingSoon: '即将开放',
    items: [
      { key: 'pension', name: '养老保险', desc: '参保登记、待遇申领、资格认证' },
      { key: 'medical', name: '工伤失业', desc: '工伤认定、失业保险金申领' },
      { key: 'employment', name: '就业创业', desc: '就业登记、创业担保贷款' },
      { key: 'talent', name: '人才人事', desc: '职称评审、人事考试' },
      { key: 'labor', name: '劳动关系', desc: '劳动合同、欠薪投诉、调解仲裁' },
      { key: 'card', name: '社保卡服务', desc: '申领、挂失、补换、启用' },
      { key: 'gig', name: '零工市场', desc: '灵活用工信息发布与对接' },
      { key: 'skills', name: '职业技能', desc: '技能培训、等级认定' },
    ],
  },
  intro: {
    title: '平台介绍',
    paragraphs: [
      '大竹数字人社平台由大竹县人力资源和社会保障局建设，汇聚社保、就业、人才、劳动关系等业务数据，为群众和企业提供网上办事、自助终端、移动端和服务大厅一体化服务。',
      '平台面向全县 31 个乡镇（街道）提供统一受理、统一查询和统一评价服务，工作人员通过统一工作门户协同办理各类业务。',
    ],
    channels: [
      { name: '网上办事', desc: '本网站在线申报与查询' },
      { name: '温暖人社', desc: '手机随时办、随时查', href: '/m/' },
      { name: '自助终端', desc: '服务大厅刷卡自助办理' },
      { name: '12333 热线', desc: '政策咨询与业务指导' },
    ],
  },
  news: {
    title: '政务公开',
    sample: '示例内容',
    more: '更多',
    columns: [
      {
        key: 'dynamics',
        title: '工作动态',
        items: ['（示例）全县人社系统召开年度重点工作推进会', '（示例）春风行动专场招聘会圆满举办', '（示例）社保经办窗口开展“好差评”专项回访'],
      },
      {
        key: 'notices',
        title: '通知公告',
        items: ['（示例）关于开展城乡居民养老保险集中缴费的通知', '（示例）关于职业技能等级认定报名的公告', '（示例）服务大厅节假日办公时间安排'],
      },
      {
        key: 'policies',
        title: '政策法规',
        items: ['（示例）社会保险费征缴相关政策解读', '（示例）就业创业扶持政策汇编', '（示例）保障农民工工资支付条例要点'],
      },
    ],
  },
  help: {
    title: '帮助中心',
    items: [
      { q: '如何办理业务？', a: '可通过本网站、温暖人社移动端、服务大厅自助终端或窗口办理。' },
      { q: '遇到问题怎么办？', a: '请拨打人社服务热线 12333，或到县人社局服务大厅咨询。' },
    ],
  },
  footer: {
    sponsor: '主办单位：大竹县人力资源和社会保障局',
    hotline: '人社服务热线：12333',
    notice: '本站部分内容为示例，正式内容以发布为准',
    copyright: '版权所有',
  },
} as const
