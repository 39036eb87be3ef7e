import type { Community } from '@gongzhi/domain';
import type { issuesTable } from '../../db/schema';
import { issueFacts } from '../tasks/open-tasks';

/** How an agenda names an issue: "X7K2M9PQ 第一责任区域 12号楼 · 共用部位渗漏：外墙渗水…". */
export function agendaTitle(
  community: Community,
  issue: Pick<
    typeof issuesTable.$inferSelect,
    'code' | 'zone' | 'building' | 'spot' | 'category' | 'description'
  >,
) {
  const text = issue.description.length > 40 ? `${issue.description.slice(0, 40)}…` : issue.description;
  return `${issue.code} ${issueFacts(community, issue).where}：${text}`;
}
