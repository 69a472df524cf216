// All user-visible text of the service hall display (/hall/). Simplified Chinese.
// The lists below are sample content until the hall module publishes real items.
export const messages = {
  document: {
    title: '大竹县人社服务大厅信息发布',
    noscript: '信息发布屏需要启用 JavaScript。',
  },
  org: '大竹县人力资源和社会保障局',
  title: '人社服务大厅',
  sample: '示例内容',
  weekdays: ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'],
  panels: {
    news: {
      title: '人社要闻',
      items: [
        '（示例）全县人社系统深入推进“一件事一次办”改革',
        '（示例）春风行动系列招聘会累计提供岗位数千个',
        '（示例）城乡居民养老保险待遇按时足额发放',
        '（示例）人社服务大厅推行“好差评”评价全覆盖',
        '（示例）技能人才培训补贴申领流程进一步简化',
      ],
    },
    policies: {
      title: '政策法规',
      items: [
        '（示例）《社会保险法》要点解读',
        '（示例）《保障农民工工资支付条例》宣传',
        '（示例）失业保险稳岗返还政策问答',
        '（示例）灵活就业人员参加社会保险办法',
        '（示例）创业担保贷款及贴息政策说明',
      ],
    },
    notices: {
      title: '通知公告',
      items: [
        '（示例）关于城乡居民养老保险集中缴费的通知',
        '（示例）职业技能等级认定报名公告',
        '（示例）服务大厅节假日办公时间安排',
        '（示例）社保卡集中换发工作的通告',
      ],
    },
    approvals: {
      title: '审批公示',
      statuses: { done: '已办结', reviewing: '审核中' },
      columns: { number: '办件编号', item: '事项名称', applicant: '申请人', status: '办理状态', date: '办结日期' },
      rows: [
        { number: 'SL-示例-0001', item: '失业保险金申领', applicant: '张*', status: 'done', date: '示例日期' },
        { number: 'SL-示例-0002', item: '就业登记', applicant: '李*', status: 'done', date: '示例日期' },
        { number: 'SL-示例-0003', item: '养老保险待遇申领', applicant: '王*', status: 'reviewing', date: '—' },
        { number: 'SL-示例-0004', item: '工伤认定申请', applicant: '某*公司', status: 'reviewing', date: '—' },
        { number: 'SL-示例-0005', item: '社保卡补换', applicant: '刘*', status: 'done', date: '示例日期' },
      ],
    },
  },
  footer: '服务热线 12333 ｜ 请取号后按叫号顺序到窗口办理 ｜ 欢迎对我们的服务进行评价',
} as const
