import { InspectionInput, type IssueDetail } from '@gongzhi/domain';
import { Button, Radio, TextArea } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { Card, Page } from '../../../components/page';
import { PhotoField, UploadProgress, usePhotos } from '../../../components/photo-field';
import { PhotoStrip } from '../../../components/photo-strip';
import { ErrorState, LoadingState } from '../../../components/states';
import { PageToast, toast } from '../../../components/toast';
import { useReload } from '../../../hooks/use-reload';
import { inspectIssue } from '../../../services/case-handling';
import { getIssue } from '../../../services/issues';
import { discardKept, uploadEachKept } from '../../../services/photos';

/**
 * 现场核查 (issue 17): someone other than the resolver checks the fix on site — pass closes the
 * case, fail sends it back to work with the reason (返工). On-site photos are required either way.
 */
export default function InspectPage() {
  const { params } = useRouter();
  const id = params.id ?? '';
  const [issue, setIssue] = useState<IssueDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [passed, setPassed] = useState<'pass' | 'fail'>('pass');
  const [text, setText] = useState('');
  const photoField = usePhotos();
  const [sending, setSending] = useState<string[] | null>(null);
  const [uploaded, setUploaded] = useState<Record<string, string>>({});

  const load = useCallback(async () => {
    setError(null);
    try {
      setIssue(await getIssue(id));
    } catch (e) {
      setError((e as Error).message);
    }
  }, [id]);
  useReload(load, 'mount');
  if (error) return <ErrorState message={error} onRetry={load} />;
  if (!issue) return <LoadingState />;

  const lastResolve = [...issue.events].reverse().find((e) => e.action === 'resolve');
  const afterPhotos = issue.photos.filter((p) =>
    ((lastResolve?.data?.photoIds as string[] | undefined) ?? []).includes(p.id),
  );

  const submit = async () => {
    const ok = passed === 'pass';
    const input = ok
      ? { passed: true, note: text.trim() || undefined, photoIds: [] }
      : { passed: false, reason: text.trim(), photoIds: [] };
    const check = InspectionInput.safeParse(input);
    if (!check.success) return toast(check.error.issues[0]?.message ?? '请填写核查情况', 'warn');
    if (sending) return;
    setSending(photoField.latest.current);
    const photos = await photoField.settled();
    if (photos.length === 0) {
      setSending(null);
      return toast('现场核查须上传至少一张现场照片', 'warn');
    }
    setSending(photos);
    try {
      const ids = await uploadEachKept(photos, uploaded, setUploaded);
      await inspectIssue(id, { ...input, photoIds: ids } as InspectionInput);
      for (const local of photos) void discardKept(local).catch(() => undefined);
      toast(ok ? '核查通过，已结案' : '核查未通过，已退回返工', 'success');
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
      <Card title={`${issue.categoryName} · ${issue.code}`}>
        <Text className="gz-detail__desc">{issue.description}</Text>
        {lastResolve && (
          <Text className="gz-muted">
            {lastResolve.actorName}办结：{lastResolve.note ?? ''}
          </Text>
        )}
        <PhotoStrip photos={afterPhotos} />
      </Card>
      <Card title="核查结论">
        <Radio.Group value={passed} onChange={(v) => setPassed(v as 'pass' | 'fail')} direction="horizontal">
          <Radio value="pass">核查通过</Radio>
          <Radio value="fail">未通过，返工</Radio>
        </Radio.Group>
        <View className="gz-inspect__text">
          <TextArea
            placeholder={
              passed === 'pass' ? '核查情况（可选）' : '未通过的原因（必填），会随返工派给原承办人'
            }
            value={text}
            onChange={setText}
            maxLength={500}
            showCount
            rows={3}
          />
        </View>
      </Card>
      <Card title="现场照片（必填）">
        <PhotoField field={photoField} />
        {sending && <UploadProgress locals={sending} />}
      </Card>
      <Button block type="primary" size="large" loading={sending !== null} onClick={submit}>
        提交核查结果
      </Button>
    </Page>
  );
}
