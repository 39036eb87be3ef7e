import { type IssueDetail, PROPERTY_TASK_ROLES, ResolveTaskInput, type TaskRole } from '@gongzhi/domain';
import { Button, TextArea } from '@nutui/nutui-react-taro';
import { Text } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { chinaDate, DatedReasonDialog } from '../../../components/dated-reason-dialog';
import { Card, Page } from '../../../components/page';
import { PhotoField, UploadProgress, usePhotos } from '../../../components/photo-field';
import { PageToast, toast } from '../../../components/toast';
import { useAction } from '../../../hooks/use-action';
import { useReload } from '../../../hooks/use-reload';
import { requestExtension } from '../../../services/case-handling';
import { formatTime } from '../../../services/format';
import { getIssue } from '../../../services/issues';
import { discardKept, uploadEachKept } from '../../../services/photos';
import { resolveTask } from '../../../services/work';

/** Resolve a task: what was done, and after-photos (required for property work). */
export default function ResolvePage() {
  const { params } = useRouter();
  const taskId = params.task ?? '';
  const needsPhoto = PROPERTY_TASK_ROLES.includes(params.role as TaskRole);
  const [note, setNote] = useState('');
  const photoField = usePhotos();
  const [sending, setSending] = useState<string[] | null>(null);
  const [uploaded, setUploaded] = useState<Record<string, string>>({});
  // 延期: offered when the server says this person may ask now (before the deadline, none pending).
  const issueId = params.issue ?? '';
  const [issue, setIssue] = useState<IssueDetail | null>(null);
  const [asking, setAsking] = useState(false);
  const load = useCallback(async () => {
    if (issueId) setIssue(await getIssue(issueId).catch(() => null));
  }, [issueId]);
  useReload(load, 'mount');
  const extension = useAction(
    (input: { reason: string; newDueDate: string }) => requestExtension(issueId, input),
    { done: '已提交延期申请，等待负责人审批' },
  );
  const pending = issue?.caseHandling.pendingExtension ?? null;

  const submit = async () => {
    const check = ResolveTaskInput.safeParse({ note: note.trim(), photoIds: [] });
    if (!check.success) return toast(check.error.issues[0]?.message ?? '请填写处理说明', 'warn');
    if (sending) return;
    // A photo still being compressed goes with the resolution: wait for it rather than leave it out.
    setSending(photoField.latest.current);
    const photos = await photoField.settled();
    if (needsPhoto && photos.length === 0) {
      setSending(null);
      return toast('物业处置办结须上传至少一张处置后照片', 'warn');
    }
    setSending(photos);
    try {
      const ids = await uploadEachKept(photos, uploaded, setUploaded);
      await resolveTask(taskId, note.trim(), ids);
      for (const local of photos) void discardKept(local).catch(() => undefined);
      toast('已办结', 'success');
      setTimeout(() => Taro.navigateBack().catch(() => undefined), 800);
    } catch (e) {
      toast((e as Error).message, 'fail');
    } finally {
      setSending(null);
    }
  };

  return (
    <Page>
      <PageToast />
      <Card title="处理说明">
        <TextArea
          placeholder="做了什么、结果如何，例如：已清运垃圾并冲洗地面"
          value={note}
          onChange={setNote}
          maxLength={2000}
          showCount
          rows={4}
        />
      </Card>
      <Card title={needsPhoto ? '处置后照片（必填）' : '处置后照片'}>
        <PhotoField field={photoField} />
        {sending && <UploadProgress locals={sending} />}
        <Text className="gz-muted">照片会附在问题上，供反映人和巡查员验收。</Text>
      </Card>
      <Button block type="primary" size="large" loading={sending !== null} onClick={submit}>
        确认办结
      </Button>
      {pending && (
        <Card title="延期申请">
          <Text className="gz-muted">
            已申请延至 {formatTime(pending.newDueAt)}，等待负责人审批（{pending.reason}）
          </Text>
        </Card>
      )}
      {issue?.caseActions.includes('request_extension') && (
        <Button
          block
          fill="outline"
          type="primary"
          loading={extension.busy}
          onClick={() => setAsking(true)}
          style={{ marginTop: '12px' }}
        >
          无法按期办结？申请延期
        </Button>
      )}
      <DatedReasonDialog
        visible={asking}
        title="申请延期"
        placeholder="无法按期办结的原因，例如：需采购配件"
        dateLabel="新的办结日期"
        initialDate={chinaDate(7)}
        onCancel={() => setAsking(false)}
        onConfirm={async (reason, newDueDate) => {
          setAsking(false);
          const next = await extension.run({ reason, newDueDate });
          if (next) setIssue(next);
        }}
      />
    </Page>
  );
}
