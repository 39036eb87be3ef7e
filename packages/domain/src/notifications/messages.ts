import type { LapseKind, LetterKind } from '../followup/letters';
import { LAPSE_NAMES, LETTER_KIND_NAMES } from '../followup/letters';

/**
 * What people are told, and when (the rules of who is told live with the services that fire the
 * events; the words live here so every channel says the same thing).
 */
export type NotificationMessage =
  | { kind: 'task_assigned'; issue: IssueFacts; dueAt: string; emergency: boolean }
  | { kind: 'issue_filed'; issue: IssueFacts; tierName: string; emergency: boolean }
  | { kind: 'task_accepted'; issue: IssueFacts; by: string }
  | { kind: 'task_returned'; issue: IssueFacts; by: string; reason: string }
  | { kind: 'issue_resolved'; issue: IssueFacts; by: string; forReporter: boolean }
  | { kind: 'fix_rejected'; issue: IssueFacts; reason: string }
  | { kind: 'issue_closed'; issue: IssueFacts; auto: boolean }
  | { kind: 'issue_rejected'; issue: IssueFacts; reason: string }
  | { kind: 'issue_merged'; issue: IssueFacts; intoCode: string }
  | { kind: 'overdue_reminder'; issue: IssueFacts; lapse: LapseKind; assignee: string }
  | { kind: 'report_back'; issue: IssueFacts; by: string; note: string }
  | { kind: 'report_back_missed'; issue: IssueFacts }
  | { kind: 'letter_issued'; letterKind: LetterKind; number: string; orgName: string }
  | { kind: 'duty_swap_requested'; shift: string; by: string; inReturn: string | null; reason: string }
  | {
      kind: 'duty_swap_accepted';
      shift: string;
      requester: string;
      counterpart: string;
      inReturn: string | null;
    }
  | { kind: 'duty_swap_declined'; shift: string; by: string; note: string | null }
  | { kind: 'duty_swap_cancelled'; shift: string; by: string }
  | { kind: 'duty_swap_voided'; shift: string; why: string }
  | {
      kind: 'duty_shift_overridden';
      shift: string;
      from: string;
      to: string;
      reason: string;
      forNewPerson: boolean;
    }
  | { kind: 'duty_rota_published'; month: string; shifts: number; first: string | null }
  | { kind: 'zone_meeting_convened'; zoneName: string; at: string; place: string; by: string; items: number }
  | {
      kind: 'joint_meeting_scheduled';
      meetingName: string;
      at: string;
      place: string;
      chair: string;
      items: number;
    }
  | { kind: 'joint_agenda_added'; title: string; sourceName: string; meetingAt: string | null }
  | { kind: 'zone_plan'; issue: IssueFacts; plan: string }
  | { kind: 'joint_resolution'; issue: IssueFacts; text: string; closed: boolean }
  | { kind: 'resolution_assigned'; text: string; dueDate: string }
  | { kind: 'resolution_progress'; issue: IssueFacts; notice: string }
  | { kind: 'reconsideration_requested'; title: string; by: string; reason: string }
  | { kind: 'letter_proposed'; letterKind: LetterKind; orgName: string; reason: string }
  | { kind: 'joint_meeting_missed'; month: string }
  | { kind: 'photo_hidden'; issue: IssueFacts }
  | { kind: 'extension_requested'; issue: IssueFacts; by: string; reason: string; newDue: string }
  | { kind: 'extension_decided'; issue: IssueFacts; approved: boolean; newDue: string; note: string | null }
  | { kind: 'return_disputed'; issue: IssueFacts; by: string; reason: string }
  | { kind: 'dispute_decided'; issue: IssueFacts; returnStands: boolean; note: string }
  | { kind: 'issue_urged'; issue: IssueFacts; by: string; note: string; count: number }
  | { kind: 'park_review_due'; issue: IssueFacts; reviewDate: string; reason: string | null }
  | { kind: 'parking_requested'; issue: IssueFacts; by: string; reason: string; reviewDate: string }
  | {
      kind: 'parking_decided';
      issue: IssueFacts;
      approved: boolean;
      reviewDate: string;
      note: string | null;
    };

export interface IssueFacts {
  code: string;
  /** e.g. "第一责任区域 12号楼 · 电梯故障" */
  where: string;
}

const WHAT_NEXT = '请在“共治”小程序中查看。';

export function renderNotification(m: NotificationMessage): { title: string; body: string } {
  switch (m.kind) {
    case 'extension_requested':
      return {
        title: `延期申请 ${m.issue.code}`,
        body: `${m.by}申请将办结时限延至 ${m.newDue}（原因：${m.reason}）。请审批：${m.issue.where}。`,
      };
    case 'extension_decided':
      return m.approved
        ? {
            title: `延期已同意 ${m.issue.code}`,
            body: `${m.issue.where}的办结时限已延至 ${m.newDue}${m.note ? `（${m.note}）` : ''}。`,
          }
        : {
            title: `延期未同意 ${m.issue.code}`,
            body: `${m.issue.where}的延期申请未获同意${m.note ? `（${m.note}）` : ''}，请按原时限办结。`,
          };
    case 'return_disputed':
      return {
        title: `退单争议待裁定 ${m.issue.code}`,
        body: `${m.by}对退单有异议（${m.reason}），请裁定：${m.issue.where}。`,
      };
    case 'dispute_decided':
      return m.returnStands
        ? {
            title: `退单成立 ${m.issue.code}`,
            body: `${m.issue.where}：裁定退单成立（${m.note}），请重新派单。`,
          }
        : {
            title: `退单不成立 ${m.issue.code}`,
            body: `${m.issue.where}：裁定退单不成立（${m.note}），原承办人须重新接单办理。`,
          };
    case 'parking_requested':
      return {
        title: `挂账申请 ${m.issue.code}`,
        body: `${m.by}申请将${m.issue.where}挂账至 ${m.reviewDate}（原因：${m.reason}）。请审批。`,
      };
    case 'parking_decided':
      return m.approved
        ? {
            title: `挂账已同意 ${m.issue.code}`,
            body: `${m.issue.where}已挂账，复核日期 ${m.reviewDate}${m.note ? `（${m.note}）` : ''}。`,
          }
        : {
            title: `挂账未同意 ${m.issue.code}`,
            body: `${m.issue.where}的挂账申请未获同意${m.note ? `（${m.note}）` : ''}，请继续办理。`,
          };
    case 'park_review_due':
      return {
        title: `挂账到期待复核 ${m.issue.code}`,
        body: `${m.issue.where}挂账至 ${m.reviewDate}${m.reason ? `（挂账原因：${m.reason}）` : ''}，今日到期，请复核：继续挂账或重新派单。`,
      };
    case 'issue_urged':
      return {
        title: `督办 ${m.issue.code}`,
        body: `${m.by}督办（第 ${m.count} 次）：${m.note}。${m.issue.where}，请抓紧办理。`,
      };
    case 'task_assigned':
      return {
        title: m.emergency ? `【应急】新派单 ${m.issue.code}` : `新派单 ${m.issue.code}`,
        body: `${m.issue.where}。请在 ${m.dueAt} 前接单${m.emergency ? '并立即处置，同时向区域组长和条线负责人报备' : ''}。`,
      };
    case 'issue_filed':
      return {
        title: m.emergency ? `【应急】新问题 ${m.issue.code}` : `新问题 ${m.issue.code}`,
        body: `${m.issue.where}有新反映的问题，已按规则交由${m.tierName}办理。${WHAT_NEXT}`,
      };
    case 'task_accepted':
      return { title: `已接单 ${m.issue.code}`, body: `${m.by}已接单：${m.issue.where}。` };
    case 'task_returned':
      return {
        title: `退单 ${m.issue.code}`,
        body: `${m.by}退回了任务（原因：${m.reason}）。请重新派单：${m.issue.where}。`,
      };
    case 'issue_resolved':
      return m.forReporter
        ? {
            title: `您反映的问题已办结 ${m.issue.code}`,
            body: `${m.issue.where}已由${m.by}办结。请确认是否解决并评分（1–5 分）；如未解决，可说明原因要求重新处理。`,
          }
        : { title: `已办结 ${m.issue.code}`, body: `${m.by}已办结：${m.issue.where}。` };
    case 'fix_rejected':
      return {
        title: `问题未解决，已重开 ${m.issue.code}`,
        body: `${m.issue.where}经确认未解决（${m.reason}），已重新派单。${WHAT_NEXT}`,
      };
    case 'issue_closed':
      return {
        title: `问题已关闭 ${m.issue.code}`,
        body: m.auto
          ? `${m.issue.where}办结后在规定天数内无异议，已自动关闭。`
          : `${m.issue.where}已确认解决并关闭。`,
      };
    case 'issue_rejected':
      return { title: `问题未受理 ${m.issue.code}`, body: `${m.issue.where}未受理，原因：${m.reason}。` };
    case 'issue_merged':
      return {
        title: `问题已合并 ${m.issue.code}`,
        body: `您反映的问题（${m.issue.where}）与 ${m.intoCode} 为同一问题，已合并办理。用原查询码即可查看 ${m.intoCode} 的办理进度。`,
      };
    case 'overdue_reminder':
      return {
        title: `提示：${LAPSE_NAMES[m.lapse]} ${m.issue.code}`,
        body: `${m.assignee}的任务已${LAPSE_NAMES[m.lapse]}：${m.issue.where}。请尽快处理，逾期仍未处理将向所属单位发出提示函。`,
      };
    case 'report_back':
      return { title: `应急处置报备 ${m.issue.code}`, body: `${m.by}报备：${m.note}（${m.issue.where}）` };
    case 'report_back_missed':
      return {
        title: `应急处置未按时报备 ${m.issue.code}`,
        body: `物业公司未在规定时限内报备应急处置情况：${m.issue.where}。已记录为失职。`,
      };
    case 'letter_proposed':
      return {
        title: `建议发出${LETTER_KIND_NAMES[m.letterKind]}：${m.orgName}`,
        body: `${m.reason}。请决定是否发函。${WHAT_NEXT}`,
      };
    case 'joint_meeting_missed':
      return {
        title: `${m.month}未召开联席会议`,
        body: `按联席会议制度每月至少召开一次，${m.month}没有召开。请尽快安排联席会议。${WHAT_NEXT}`,
      };
    case 'letter_issued':
      return {
        title: `收到${LETTER_KIND_NAMES[m.letterKind]} ${m.number}`,
        body: `${m.orgName}收到${LETTER_KIND_NAMES[m.letterKind]}，请查阅并签收回复。`,
      };
    case 'duty_swap_requested':
      return {
        title: '换班申请',
        body: m.inReturn
          ? `${m.by}请您接替 ${m.shift}，并由其接替您的 ${m.inReturn}（原因：${m.reason}）。请同意或拒绝。`
          : `${m.by}请您接替 ${m.shift}（原因：${m.reason}）。请同意或拒绝。`,
      };
    case 'duty_swap_accepted':
      return {
        title: '换班已生效',
        body: m.inReturn
          ? `${m.counterpart}同意与${m.requester}换班：${m.shift} 改由${m.counterpart}值班，${m.inReturn} 改由${m.requester}值班。`
          : `${m.counterpart}同意接替${m.requester}：${m.shift} 改由${m.counterpart}值班。`,
      };
    case 'duty_swap_declined':
      return {
        title: '换班申请被拒绝',
        body: `${m.by}拒绝接替 ${m.shift}${m.note ? `（${m.note}）` : ''}。原班次不变。`,
      };
    case 'duty_swap_cancelled':
      return { title: '换班申请已撤回', body: `${m.by}撤回了 ${m.shift} 的换班申请。原班次不变。` };
    case 'duty_swap_voided':
      return {
        title: '换班申请已失效',
        body: `${m.shift} 的换班申请已失效：${m.why}。请查看新的值班安排。`,
      };
    case 'duty_shift_overridden':
      return m.forNewPerson
        ? {
            title: '您有新的值班安排',
            body: `${m.shift} 改由您值班（原值班人：${m.from}；原因：${m.reason}）。`,
          }
        : { title: '您的值班已调整', body: `${m.shift} 改由${m.to}值班，您无需到岗（原因：${m.reason}）。` };
    case 'duty_rota_published':
      return {
        title: `${m.month}值班表已发布`,
        body:
          m.shifts > 0
            ? `${m.month}您有 ${m.shifts} 个班次，第一个是 ${m.first}。可在“我的班次”查看，或订阅日历。`
            : `${m.month}值班表已发布，本月没有您的班次。`,
      };
    case 'zone_meeting_convened':
      return {
        title: `区域会议通知：${m.zoneName}`,
        body: `${m.by}召集${m.zoneName}区域会议，时间 ${m.at}，地点 ${m.place}，议题 ${m.items} 项。请准时参加。`,
      };
    case 'joint_meeting_scheduled':
      return {
        title: `${m.meetingName}通知`,
        body: `${m.meetingName}定于 ${m.at} 在 ${m.place} 召开，由${m.chair}主持，已列入议题 ${m.items} 项。请准时参加。`,
      };
    case 'joint_agenda_added':
      return {
        title: `新议题：${m.title}`,
        body: m.meetingAt
          ? `“${m.title}”（${m.sourceName}）已列入 ${m.meetingAt} 的联席会议议程。`
          : `“${m.title}”（${m.sourceName}）等待列入下次联席会议议程，请安排会议。`,
      };
    case 'zone_plan':
      return {
        title: `区域会议方案 ${m.issue.code}`,
        body: `区域会议已就${m.issue.where}形成方案：${m.plan}。请按方案办理。`,
      };
    case 'joint_resolution':
      return {
        title: `联席会议已作出决议 ${m.issue.code}`,
        body: `您反映的${m.issue.where}经社区联席会议研究决定：${m.text}。${m.closed ? '该问题已关闭。' : '将按决议办理，办理进度会及时告知您。'}`,
      };
    case 'resolution_assigned':
      return {
        title: '联席会议决议交办',
        body: `联席会议决议“${m.text}”由您负责落实，完成期限 ${m.dueDate}。请及时更新办理进度。`,
      };
    case 'resolution_progress':
      return { title: `办理进度更新 ${m.issue.code}`, body: `${m.notice}（${m.issue.where}）` };
    case 'photo_hidden':
      return {
        title: `照片未通过内容安全检测 ${m.issue.code}`,
        body: `您为${m.issue.where}上传的一张照片未通过微信内容安全检测，已隐藏，不再显示。问题本身照常办理。`,
      };
    case 'reconsideration_requested':
      return {
        title: `复议申请：${m.title}`,
        body: `${m.by}申请复议，理由：${m.reason}。已列入联席会议待审议议题。`,
      };
  }
}

/** Delivery retries: 30 s, 1 min, 2 min … capped at one hour; after MAX_DELIVERY_ATTEMPTS, dead. */
export const MAX_DELIVERY_ATTEMPTS = 8;
export const retryDelayMs = (attempts: number) =>
  Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);

/**
 * What a follower (这也是我的问题) reads of a message meant for the reporter: the same progress,
 * in their own words — the issue is one they follow, not one they reported — and nothing to do:
 * confirming the fix and rating it are the reporter's (docs/domain.md §9).
 */
export function renderForFollower(m: NotificationMessage): { title: string; body: string } {
  if (m.kind === 'issue_resolved') {
    return {
      title: `您关注的问题已办结 ${m.issue.code}`,
      body: `${m.issue.where}已由${m.by}办结，待反映人确认。办理进度可在“共治”小程序中查看。`,
    };
  }
  const r = renderNotification(m);
  return {
    title: r.title.replaceAll('您反映的', '您关注的'),
    body: r.body.replaceAll('您反映的', '您关注的'),
  };
}
