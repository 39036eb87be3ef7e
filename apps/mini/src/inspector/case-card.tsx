import type { IssueDetail } from '@gongzhi/domain';
import { Button, Dialog, TextArea } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { chinaDate, DatedReasonDialog } from '../components/dated-reason-dialog';
import { DispatchDialog } from '../components/dispatch-dialog';
import { Card } from '../components/page';
import { ReasonDialog } from '../components/reason-dialog';
import {
  decideDispute,
  decideExtension,
  decideParking,
  disputeReturn,
  parkIssue,
  requestExtension,
  requestParking,
  reviewParking,
  urgeIssue,
} from '../services/case-handling';
import { formatTime } from '../services/format';

type Act = (fn: () => Promise<IssueDetail>, done: string) => Promise<void>;
type Asking =
  | 'extension'
  | 'refuse'
  | 'dispute'
  | 'uphold'
  | 'overrule'
  | 'urge'
  | 'park'
  | 'park_request'
  | 'refuse_parking'
  | 'repark'
  | 'unpark';

/**
 * 案件办理 (issue 17): on-site verification, extension, parking, a disputed return, urging — the
 * facts, and exactly the steps the server says the caller may take now (caseActions and the
 * lifecycle's allowedActions).
 */
export function CaseCard({ issue, busy, act }: { issue: IssueDetail; busy: boolean; act: Act }) {
  const [asking, setAsking] = useState<Asking | null>(null);
  const c = issue.caseHandling;
  const step = (s: IssueDetail['caseActions'][number]) => issue.caseActions.includes(s);
  const can = (a: IssueDetail['allowedActions'][number]) => issue.allowedActions.includes(a);
  const close = () => setAsking(null);
  const facts = [
    c.needsInspection ? '本类问题办结后须现场核查' : null,
    c.extensionCount ? `已延期 ${c.extensionCount} 次` : null,
    c.urgeCount ? `已督办 ${c.urgeCount} 次` : null,
    c.reworkCount ? `返工 ${c.reworkCount} 次` : null,
    c.parkCount ? `挂账 ${c.parkCount} 次` : null,
  ].filter(Boolean);
  const anything =
    facts.length > 0 ||
    c.parkedUntil ||
    c.pendingExtension ||
    c.pendingDispute ||
    c.pendingParking ||
    issue.caseActions.length > 0 ||
    can('inspect_pass') ||
    can('park') ||
    can('unpark');
  if (!anything) return null;

  return (
    <Card title="案件办理">
      {facts.length > 0 && <Text className="gz-muted">{facts.join(' · ')}</Text>}
      {c.parkedUntil && (
        <Text className="gz-detail__line">挂账中，复核日期：{formatTime(c.parkedUntil).split(' ')[0]}</Text>
      )}
      {c.pendingExtension && (
        <View className="gz-case__pending">
          <Text className="gz-detail__line">
            {c.pendingExtension.by.name}申请延期：{formatTime(c.pendingExtension.currentDueAt)} →{' '}
            {formatTime(c.pendingExtension.newDueAt)}
          </Text>
          <Text className="gz-muted">原因：{c.pendingExtension.reason}</Text>
        </View>
      )}
      {c.pendingDispute && (
        <View className="gz-case__pending">
          <Text className="gz-detail__line">
            退单争议待裁定：{c.pendingDispute.assignee.name}退单，{c.pendingDispute.by.name}有异议
          </Text>
          <Text className="gz-muted">异议理由：{c.pendingDispute.reason}</Text>
        </View>
      )}
      {c.pendingParking && (
        <View className="gz-case__pending">
          <Text className="gz-detail__line">
            {c.pendingParking.by.name}申请挂账，复核日期：
            {formatTime(c.pendingParking.reviewAt).split(' ')[0]}
          </Text>
          <Text className="gz-muted">原因：{c.pendingParking.reason}</Text>
        </View>
      )}
      <View className="gz-detail__desk">
        {can('inspect_pass') && (
          <Button
            block
            type="primary"
            disabled={busy}
            onClick={() => Taro.navigateTo({ url: `/inspector/pages/inspect/index?id=${issue.id}` })}
          >
            现场核查
          </Button>
        )}
        {step('approve_extension') && (
          <Button
            block
            type="primary"
            disabled={busy}
            onClick={() => act(() => decideExtension(issue.id, { approve: true }), '已同意延期')}
          >
            同意延期
          </Button>
        )}
        {step('refuse_extension') && (
          <Button block fill="outline" type="danger" disabled={busy} onClick={() => setAsking('refuse')}>
            不同意延期
          </Button>
        )}
        {step('request_extension') && (
          <Button block fill="outline" type="primary" disabled={busy} onClick={() => setAsking('extension')}>
            申请延期
          </Button>
        )}
        {step('dispute_return') && (
          <Button block fill="outline" type="primary" disabled={busy} onClick={() => setAsking('dispute')}>
            对退单有异议，提请裁定
          </Button>
        )}
        {step('overrule_return') && (
          <Button block type="primary" disabled={busy} onClick={() => setAsking('overrule')}>
            退单不成立，原承办人重新办理
          </Button>
        )}
        {step('uphold_return') && (
          <Button block fill="outline" type="primary" disabled={busy} onClick={() => setAsking('uphold')}>
            退单成立
          </Button>
        )}
        {can('park') && (
          <Button block fill="outline" type="primary" disabled={busy} onClick={() => setAsking('park')}>
            挂账
          </Button>
        )}
        {step('request_parking') && (
          <Button
            block
            fill="outline"
            type="primary"
            disabled={busy}
            onClick={() => setAsking('park_request')}
          >
            申请挂账
          </Button>
        )}
        {step('approve_parking') && (
          <Button
            block
            type="primary"
            disabled={busy}
            onClick={() => act(() => decideParking(issue.id, { approve: true }), '已同意挂账')}
          >
            同意挂账
          </Button>
        )}
        {step('refuse_parking') && (
          <Button
            block
            fill="outline"
            type="danger"
            disabled={busy}
            onClick={() => setAsking('refuse_parking')}
          >
            不同意挂账
          </Button>
        )}
        {can('unpark') && issue.candidates.length > 0 && (
          <Button block type="primary" disabled={busy} onClick={() => setAsking('unpark')}>
            恢复办理
          </Button>
        )}
        {can('repark') && (
          <Button block fill="outline" type="primary" disabled={busy} onClick={() => setAsking('repark')}>
            继续挂账
          </Button>
        )}
        {step('urge') && (
          <Button block fill="outline" type="warning" disabled={busy} onClick={() => setAsking('urge')}>
            督办
          </Button>
        )}
      </View>
      <DatedReasonDialog
        visible={asking === 'extension'}
        title="申请延期"
        placeholder="无法按期办结的原因"
        dateLabel="新的办结日期"
        initialDate={chinaDate(7)}
        onCancel={close}
        onConfirm={(reason, newDueDate) => {
          close();
          void act(() => requestExtension(issue.id, { reason, newDueDate }), '已提交延期申请');
        }}
      />
      <DatedReasonDialog
        visible={asking === 'park' || asking === 'repark' || asking === 'park_request'}
        title={asking === 'repark' ? '继续挂账' : asking === 'park_request' ? '申请挂账' : '挂账'}
        placeholder="暂时无法解决的原因，例如：需市政管网改造"
        dateLabel="复核日期"
        initialDate={chinaDate(30)}
        onCancel={close}
        onConfirm={(reason, reviewDate) => {
          const which = asking;
          close();
          void act(
            () =>
              which === 'repark'
                ? reviewParking(issue.id, { decision: 'repark', reason, reviewDate })
                : which === 'park_request'
                  ? requestParking(issue.id, { reason, reviewDate })
                  : parkIssue(issue.id, { reason, reviewDate }),
            which === 'park_request' ? '已提交挂账申请' : '已挂账',
          );
        }}
      />
      <ReasonDialog
        visible={asking === 'refuse'}
        title="不同意延期"
        placeholder="说明理由，承办人须按原时限办结"
        onCancel={close}
        onConfirm={(note) => {
          close();
          void act(() => decideExtension(issue.id, { approve: false, note }), '已答复');
        }}
      />
      <ReasonDialog
        visible={asking === 'refuse_parking'}
        title="不同意挂账"
        placeholder="说明理由，例如：请先协调临时处置"
        onCancel={close}
        onConfirm={(note) => {
          close();
          void act(() => decideParking(issue.id, { approve: false, note }), '已答复');
        }}
      />
      <ReasonDialog
        visible={asking === 'dispute'}
        title="提请裁定退单"
        placeholder="为什么不同意退单，例如：属物业服务合同范围"
        onCancel={close}
        onConfirm={(reason) => {
          close();
          void act(() => disputeReturn(issue.id, reason), '已提请裁定');
        }}
      />
      <ReasonDialog
        visible={asking === 'uphold' || asking === 'overrule'}
        title={asking === 'uphold' ? '裁定：退单成立' : '裁定：退单不成立'}
        placeholder="裁定意见"
        onCancel={close}
        onConfirm={(note) => {
          const returnStands = asking === 'uphold';
          close();
          void act(() => decideDispute(issue.id, { returnStands, note }), '已裁定');
        }}
      />
      <UrgeDialog
        visible={asking === 'urge'}
        count={c.urgeCount}
        onCancel={close}
        onConfirm={(note) => {
          close();
          void act(() => urgeIssue(issue.id, note), '已督办');
        }}
      />
      <DispatchDialog
        visible={asking === 'unpark'}
        title="恢复办理，派给"
        candidates={issue.candidates}
        noteRequired
        onCancel={close}
        onConfirm={(assignee, note) => {
          close();
          void act(() => reviewParking(issue.id, { decision: 'unpark', assignee, note }), '已恢复办理');
        }}
      />
    </Card>
  );
}

function UrgeDialog({
  visible,
  count,
  onConfirm,
  onCancel,
}: {
  visible: boolean;
  count: number;
  onConfirm: (note: string) => void;
  onCancel: () => void;
}) {
  const [note, setNote] = useState('');
  return (
    <Dialog
      visible={visible}
      title={`督办${count ? `（已督办 ${count} 次）` : ''}`}
      confirmText="督办"
      cancelText="取消"
      disableConfirmButton={note.trim().length < 2}
      onConfirm={() => {
        onConfirm(note.trim());
        setNote('');
      }}
      onCancel={onCancel}
      onClose={onCancel}
    >
      <Text className="gz-muted">负责人和承办人会收到督办通知。</Text>
      <TextArea
        value={note}
        onChange={setNote}
        placeholder="督办意见，例如：三日内办结"
        maxLength={500}
        rows={3}
      />
    </Dialog>
  );
}
