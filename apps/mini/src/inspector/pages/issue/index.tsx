import {
  eventName,
  formatPoint,
  IssueDetail,
  SCOPE_NAMES,
  STATUS_NAMES,
  TIER_NAMES,
  URGENCY_NAMES,
} from '@gongzhi/domain';
import { Button, Cell, CellGroup, Dialog, Input, TextArea } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { DispatchDialog } from '../../../components/dispatch-dialog';
import { Card, Page } from '../../../components/page';
import { PhotoStrip } from '../../../components/photo-strip';
import { RatingCard, RatingSummary } from '../../../components/rating-card';
import { ReasonDialog } from '../../../components/reason-dialog';
import { ReporterContactCard } from '../../../components/reporter-contact-card';
import { ErrorState, LoadingState } from '../../../components/states';
import { Timeline } from '../../../components/timeline';
import { PageToast, toast } from '../../../components/toast';
import { mergeIssue, reassignTask, redispatchIssue, rejectIssue } from '../../../services/desk';
import { formatTime } from '../../../services/format';
import { api } from '../../../services/http';
import { getIssue, rateIssue, rejectFix, verifyIssue } from '../../../services/issues';
import { loadMe } from '../../../services/session';
import { reportBack } from '../../../services/work';
import './index.css';
import { NavCell } from '../../../components/nav-cell';
import { useReload } from '../../../hooks/use-reload';
import { OversightComments } from '../../../oversight/comments';
import { CaseCard } from '../../case-card';
import { openPoint } from '../../location';

export default function IssueDetailPage() {
  const { params } = useRouter();
  const id = params.id ?? '';
  const [issue, setIssue] = useState<IssueDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [me, setMe] = useState<string | null>(null);
  const [reportingTo, setReportingTo] = useState<{ key: string; name: string } | null>(null);
  /** The desk's dialogs: re-dispatch, reassign one task, merge, reject. */
  const [dispatching, setDispatching] = useState(false);
  const [reassigning, setReassigning] = useState<{ id: string; key: string; name: string } | null>(null);
  const [merging, setMerging] = useState(false);
  const [mergeInto, setMergeInto] = useState('');
  const [mergeNote, setMergeNote] = useState('');
  const [rejecting, setRejecting] = useState(false);

  const load = useCallback(async () => {
    setError(null);
    try {
      setIssue(await getIssue(id));
      setMe((await loadMe()).person?.key ?? null);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [id]);
  useReload(load, 'show');

  if (error) return <ErrorState message={error} onRetry={load} />;
  if (!issue) return <LoadingState />;

  const act = async (fn: () => Promise<IssueDetail>, done: string) => {
    setBusy(true);
    try {
      setIssue(await fn());
      toast(done, 'success');
    } catch (e) {
      toast((e as Error).message, 'fail');
    } finally {
      setBusy(false);
    }
  };
  const can = (a: IssueDetail['allowedActions'][number]) => issue.allowedActions.includes(a);
  // The property company reports an emergency back; the server checks who may, we only offer it
  // to the people working on the issue.
  const works = issue.tasks.some(
    (t) => t.assignee.key === me && ['open', 'accepted', 'in_progress'].includes(t.status),
  );

  return (
    <Page>
      <PageToast />
      <Card
        title={`${issue.categoryName} · ${issue.code}`}
        extra={<Text className={`gz-status gz-status--${issue.status}`}>{STATUS_NAMES[issue.status]}</Text>}
      >
        <Text className="gz-detail__desc">{issue.description}</Text>
        <Text className="gz-muted">
          {issue.zoneName}
          {issue.building !== null ? ` · ${issue.building} 号楼` : ''}
          {issue.spot ? ` · ${issue.spot}` : ''}
        </Text>
        {issue.location && (
          <View className="gz-row gz-detail__pin">
            <Text className="gz-muted" data-testid="issue-location">
              位置：{formatPoint(issue.location)}
            </Text>
            <Button
              size="small"
              fill="outline"
              onClick={() =>
                issue.location && openPoint(issue.location, `${issue.zoneName} ${issue.spot ?? ''}`)
              }
            >
              在地图中查看
            </Button>
          </View>
        )}
        <View className="gz-row gz-detail__tags">
          <Text className="gz-tag">{URGENCY_NAMES[issue.urgency]}</Text>
          <Text className="gz-tag">{SCOPE_NAMES[issue.scope]}</Text>
          {issue.touchesSharedParts && <Text className="gz-tag">涉及共用部位</Text>}
          {issue.usesMaintenanceFund && <Text className="gz-tag">动用维修资金</Text>}
        </View>
        {(issue.reporter.name || issue.reporter.phone) && (
          <Text className="gz-muted">
            反映人：{issue.reporter.name ?? '居民'} {issue.reporter.phone ?? ''}
          </Text>
        )}
        <PhotoStrip photos={issue.photos} />
      </Card>

      <Card title={`分级：${TIER_NAMES[issue.tier]}`}>
        {issue.owner && <Text className="gz-detail__line">负责人：{issue.owner.name}</Text>}
        {issue.route.reasons.map((r) => (
          <Text key={r.rule + r.text} className="gz-detail__reason">
            · {r.text}
          </Text>
        ))}
      </Card>

      {issue.tasks.length > 0 && (
        <CellGroup title="派单">
          {issue.tasks.map((t) => (
            <Cell
              key={t.id}
              title={`${t.assignee.name} · ${t.statusName}`}
              extra={
                t.allowedActions.includes('reassign') && issue.candidates.length > 0 ? (
                  <Button
                    size="small"
                    type="primary"
                    fill="outline"
                    disabled={busy}
                    onClick={() => setReassigning({ id: t.id, key: t.assignee.key, name: t.assignee.name })}
                  >
                    改派
                  </Button>
                ) : undefined
              }
              description={`接单时限 ${formatTime(t.acceptDueAt)} · 办结时限 ${formatTime(t.resolveDueAt)}${
                t.overdue ? (t.overdue === 'accept' ? ' · 接单已超时' : ' · 办结已超时') : ''
              }${t.note ? ` · ${t.note}` : ''}`}
            />
          ))}
        </CellGroup>
      )}

      {issue.reportBacks.length > 0 && (
        <CellGroup title="应急报告">
          {issue.reportBacks.map((r) => (
            <Cell
              key={r.to.key}
              title={`向 ${r.to.name} 报告`}
              extra={
                !r.doneAt && works ? (
                  <Button size="small" type="primary" onClick={() => setReportingTo(r.to)}>
                    报告
                  </Button>
                ) : undefined
              }
              description={
                r.doneAt
                  ? `已于 ${formatTime(r.doneAt)} 报告${r.note ? `：${r.note}` : ''}`
                  : `须在 ${formatTime(r.dueAt)} 前报告${r.lapsed ? ' · 已超时' : ''}`
              }
            />
          ))}
        </CellGroup>
      )}

      {issue.mergedInto && (
        <CellGroup>
          <NavCell
            title={`已合并到 ${issue.mergedInto.code}`}
            description="此问题与另一问题重复，后续进度见合并后的问题"
            url={`/inspector/pages/issue/index?id=${issue.mergedInto.id}`}
          />
        </CellGroup>
      )}

      {(can('redispatch') || can('merge') || can('reject')) && (
        <Card title="调度">
          <View className="gz-detail__desk">
            {can('redispatch') && issue.candidates.length > 0 && (
              <Button block type="primary" disabled={busy} onClick={() => setDispatching(true)}>
                重新派单
              </Button>
            )}
            {can('merge') && (
              <Button block fill="outline" type="primary" disabled={busy} onClick={() => setMerging(true)}>
                合并重复问题
              </Button>
            )}
            {can('reject') && (
              <Button block fill="outline" type="danger" disabled={busy} onClick={() => setRejecting(true)}>
                驳回
              </Button>
            )}
          </View>
        </Card>
      )}

      <CaseCard issue={issue} busy={busy} act={act} />

      <Card title="处理记录">
        <Timeline
          entries={issue.events.map((e) => ({
            key: e.id,
            title: eventName(e.action),
            who: `${e.actorName} · ${STATUS_NAMES[e.toStatus]}`,
            note: e.note,
            at: e.createdAt,
          }))}
        />
      </Card>

      <OversightComments community={issue.community} subject="issue" subjectRef={issue.id} />
      {issue.usesMaintenanceFund && (
        <OversightComments
          community={issue.community}
          subject="fund_use"
          subjectRef={issue.id}
          title="监督委员会意见（维修资金使用）"
        />
      )}

      {(issue.touchesSharedParts || issue.usesMaintenanceFund) && (
        <CellGroup>
          <NavCell
            title="业主大会与维修资金"
            description="表决记录、公示、上报业委会"
            url={`/meetings/pages/assembly/index?issue=${issue.id}`}
          />
        </CellGroup>
      )}
      {can('escalate') && (
        <View className="gz-detail__actions">
          <Button
            block
            fill="outline"
            type="primary"
            loading={busy}
            onClick={() =>
              act(
                () =>
                  api(IssueDetail, `/api/issues/${issue.id}/escalate`, {
                    method: 'POST',
                    data: {},
                    auth: true,
                  }),
                '已上报联席会议',
              )
            }
          >
            上报联席会议
          </Button>
        </View>
      )}
      {issue.canRate && (
        <RatingCard
          closed={issue.status === 'closed'}
          busy={busy}
          onSubmit={(rating) =>
            act(() => rateIssue(issue.id, rating), rating.fixed ? '感谢您的评价' : '已退回重新处理')
          }
        />
      )}
      {issue.rating && <RatingSummary rating={issue.rating} mine={false} />}
      <ReporterContactCard issue={issue} onChanged={setIssue} />
      {!issue.canRate && (can('verify') || can('reject_fix')) && (
        <View className="gz-detail__actions">
          {can('reject_fix') && (
            <Button block fill="outline" type="primary" disabled={busy} onClick={() => setAsking(true)}>
              未解决，退回
            </Button>
          )}
          {can('verify') && (
            <Button
              block
              type="primary"
              loading={busy}
              onClick={() => act(() => verifyIssue(issue.id), '已验收')}
            >
              验收通过
            </Button>
          )}
        </View>
      )}
      <ReasonDialog
        visible={reportingTo !== null}
        title={`向 ${reportingTo?.name ?? ''} 报告处置情况`}
        placeholder="现场情况、已采取的措施、下一步安排"
        onCancel={() => setReportingTo(null)}
        onConfirm={(note) => {
          const to = reportingTo!;
          setReportingTo(null);
          void act(() => reportBack(issue.id, to.key, note), '已报告');
        }}
      />
      <DispatchDialog
        visible={dispatching}
        title="重新派单给"
        candidates={issue.candidates}
        noteRequired={false}
        onCancel={() => setDispatching(false)}
        onConfirm={(assignee, note) => {
          setDispatching(false);
          void act(() => redispatchIssue(issue.id, assignee, note), '已派单');
        }}
      />
      <DispatchDialog
        visible={reassigning !== null}
        title={`将${reassigning?.name ?? ''}的任务改派给`}
        candidates={issue.candidates.filter((c) => c.key !== reassigning?.key)}
        noteRequired
        onCancel={() => setReassigning(null)}
        onConfirm={(assignee, note) => {
          const task = reassigning!;
          setReassigning(null);
          void act(async () => {
            await reassignTask(task.id, assignee, note);
            return getIssue(issue.id);
          }, '已改派');
        }}
      />
      <Dialog
        visible={merging}
        title="合并到另一问题"
        confirmText="合并"
        cancelText="取消"
        disableConfirmButton={mergeInto.trim().length < 3}
        onConfirm={() => {
          setMerging(false);
          const into = mergeInto.trim();
          const note = mergeNote.trim();
          setMergeInto('');
          setMergeNote('');
          void act(() => mergeIssue(issue.id, into, note), '已合并');
        }}
        onCancel={() => setMerging(false)}
        onClose={() => setMerging(false)}
      >
        <Text className="gz-muted">
          本问题将以“已合并”结束，反映人会收到通知，并可用原查询码查看合并后问题的进度。
        </Text>
        <Input value={mergeInto} onChange={setMergeInto} placeholder="保留的问题编号，如 XDY-…" />
        <TextArea
          value={mergeNote}
          onChange={setMergeNote}
          placeholder="说明（可选）"
          maxLength={500}
          rows={2}
        />
      </Dialog>
      <ReasonDialog
        visible={rejecting}
        title="驳回此问题"
        placeholder="驳回原因（无效或重复反映等），会告知反映人"
        onCancel={() => setRejecting(false)}
        onConfirm={(reason) => {
          setRejecting(false);
          void act(() => rejectIssue(issue.id, reason), '已驳回');
        }}
      />
      <ReasonDialog
        visible={asking}
        title="为什么仍未解决？"
        placeholder="请说明现场情况，问题会重新派单"
        onCancel={() => setAsking(false)}
        onConfirm={(reason) => {
          setAsking(false);
          void act(() => rejectFix(issue.id, reason), '已退回重新处理');
        }}
      />
    </Page>
  );
}
