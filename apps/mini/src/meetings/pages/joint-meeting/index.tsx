import {
  AGENDA_ITEM_STATUS_NAMES,
  AGENDA_SOURCE_NAMES,
  JOINT_MEETING_KIND_NAMES,
  JOINT_MEETING_STATUS_NAMES,
  type JointAgendaItemView,
  type JointMeetingView,
  MINUTES_STATUS_NAMES,
  ORG_NAMES,
  RESOLUTION_DISPOSITION_NAMES,
} from '@gongzhi/domain';
import { Button, Dialog, Input, TextArea } from '@nutui/nutui-react-taro';
import { Picker, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { Card, Page } from '../../../components/page';
import { ReasonDialog } from '../../../components/reason-dialog';
import { ErrorState, LoadingState } from '../../../components/states';
import { PageToast, toast } from '../../../components/toast';
import { useReload } from '../../../hooks/use-reload';
import { loadCommunity } from '../../../services/community';
import { formatTime } from '../../../services/format';
import { CheckList, PickField, Segmented } from '../../parts';
import {
  approveMinutes,
  chinaDay,
  deferItem,
  designateChair,
  editMinutes,
  getJointMeeting,
  nameBook,
  recordConsultation,
  recordJointAttendance,
  recordResolution,
  recordVote,
} from '../../services';

type Org = 'party' | 'rc' | 'oc' | 'property';
type Act = (fn: () => Promise<unknown>, done: string) => Promise<void>;

export default function JointMeetingPage() {
  const { params } = useRouter();
  const id = params.id ?? '';
  const [m, setM] = useState<JointMeetingView | null>(null);
  const [name, setName] = useState<(k: string) => string>(() => (k: string) => k);
  const [error, setError] = useState<string | null>(null);
  const [present, setPresent] = useState<string[]>([]);
  const [guests, setGuests] = useState('');
  const [minutes, setMinutes] = useState('');
  const [approving, setApproving] = useState(false);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    setError(null);
    try {
      const meeting = await getJointMeeting(id);
      const book = nameBook(await loadCommunity(meeting.community));
      setName(() => (k: string) => meeting.names[k] ?? book(k));
      setM(meeting);
      setPresent(meeting.present);
      setGuests(meeting.guests.join('、'));
      setMinutes(meeting.minutes.text ?? '');
    } catch (e) {
      setError((e as Error).message);
    }
  }, [id]);
  useReload(load, 'mount');

  if (error) return <ErrorState message={error} onRetry={load} />;
  if (!m) return <LoadingState />;
  // What this person may do is the server's answer (`allowedActions`), not worked out here.
  const can = (a: JointMeetingView['allowedActions'][number]) => m.allowedActions.includes(a);
  const locked = m.minutes.status === 'locked';

  const act: Act = async (fn, done) => {
    setBusy(true);
    try {
      const r = await fn();
      if (r && typeof r === 'object' && 'agenda' in r) setM(r as JointMeetingView);
      else setM(await getJointMeeting(m.id));
      toast(done, 'success');
    } catch (e) {
      toast((e as Error).message, 'fail');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page>
      <PageToast />
      <Card
        title={JOINT_MEETING_KIND_NAMES[m.kind]}
        extra={<Text className="gz-status">{JOINT_MEETING_STATUS_NAMES[m.status]}</Text>}
      >
        <Text className="gz-item__line">时间：{formatTime(m.at)}</Text>
        <Text className="gz-item__line">地点：{m.place}</Text>
        <Text className="gz-item__line">
          主持人：{m.chairName}
          {m.chairDesignatedBy ? `（由${name(m.chairDesignatedBy)}指定）` : ''}
          {m.chairPending ? '（待党组织书记指定）' : ''}
        </Text>
        {can('designate_chair') && (
          <View className="gz-designate">
            <Text className="gz-label">指定会议主持人</Text>
            <Picker
              mode="selector"
              range={m.invitees.map((i) => name(i.person))}
              value={Math.max(
                0,
                m.invitees.findIndex((i) => i.person === m.chair),
              )}
              onChange={(e) => {
                const chosen = m.invitees[Number(e.detail.value)];
                if (chosen && chosen.person !== m.chair)
                  void act(() => designateChair(m.id, chosen.person), `已指定${name(chosen.person)}主持会议`);
              }}
            >
              <View className="gz-pick">更换主持人（当前：{m.chairName}）</View>
            </Picker>
            {m.chairPending && (
              <Button
                size="small"
                fill="outline"
                type="primary"
                loading={busy}
                onClick={() => act(() => designateChair(m.id, m.chair), `已确认${m.chairName}主持会议`)}
              >
                确认由{m.chairName}主持
              </Button>
            )}
          </View>
        )}
        <Text className="gz-item__line">
          纪要：{MINUTES_STATUS_NAMES[m.minutes.status]}
          {m.minutes.approvedAt ? `（${formatTime(m.minutes.approvedAt)}）` : ''}
        </Text>
      </Card>
      {locked && (
        <Text className="gz-muted">会议纪要已审定锁定，本页只读；如情况变化，请在决议中申请复议。</Text>
      )}

      <Card
        title={`出席（${m.quorum.present}/${m.quorum.invited} 人）`}
        extra={
          <Text className={m.quorum.met ? 'gz-ok gz-quorum' : 'gz-bad gz-quorum'}>
            {m.quorum.met ? '达到法定人数' : '未达到法定人数'}
          </Text>
        }
      >
        {m.quorum.byOrg.map((o) => {
          const members = m.invitees.filter((i) => i.org === o.org);
          return (
            <View key={o.org} className="gz-org">
              <Text className="gz-label">
                {o.orgName}：出席 {o.present}/{o.invited}
                {o.required && o.present === 0 ? '（须有人出席）' : ''}
              </Text>
              {can('record_attendance') ? (
                <CheckList
                  options={members.map((p) => ({ key: p.person, label: name(p.person) }))}
                  value={present}
                  onChange={setPresent}
                />
              ) : (
                <Text className="gz-muted">
                  {members
                    .filter((p) => m.present.includes(p.person))
                    .map((p) => name(p.person))
                    .join('、') || '无人出席'}
                </Text>
              )}
            </View>
          );
        })}
        {m.guests.length > 0 && <Text className="gz-item__line">列席：{m.guests.join('、')}</Text>}
        {m.status === 'scheduled' && !can('record_attendance') && (
          <Text className="gz-muted">会议于 {formatTime(m.at)} 开始，开始后由会议秘书或主持人登记出席。</Text>
        )}
        <View className="gz-quorum-text">
          {m.quorum.text.map((t) => (
            <Text key={t} className="gz-item__line gz-muted">
              {t}
            </Text>
          ))}
        </View>
        {can('record_attendance') && (
          <>
            <Text className="gz-label">列席人员（可选，用顿号分隔）</Text>
            <Input className="gz-input" placeholder="列席人员姓名" value={guests} onChange={setGuests} />
            <Button
              className="gz-submit"
              block
              fill="outline"
              type="primary"
              loading={busy}
              onClick={() => {
                if (present.length === 0) return toast('请至少登记一名出席人员', 'warn');
                const g = guests
                  .split(/[、,，\s]+/)
                  .map((s) => s.trim())
                  .filter(Boolean);
                void act(() => recordJointAttendance(m.id, present, g), '出席已登记');
              }}
            >
              登记出席
            </Button>
          </>
        )}
      </Card>

      <Text className="gz-section__title">议程（{m.agenda.length} 项）</Text>
      {m.agenda.length === 0 && <Text className="gz-muted">本次会议还没有议题</Text>}
      {m.agenda.map((item) => (
        <AgendaItem key={item.id} meeting={m} item={item} busy={busy} act={act} name={name} />
      ))}

      <Card title="会议纪要">
        {can('edit_minutes') ? (
          <>
            <TextArea
              className="gz-textarea"
              placeholder="会议纪要"
              value={minutes}
              onChange={setMinutes}
              maxLength={20000}
              rows={5}
            />
            <View className="gz-item__actions">
              <Button
                size="small"
                fill="outline"
                type="primary"
                loading={busy}
                onClick={() => {
                  if (!minutes.trim()) return toast('请填写会议纪要', 'warn');
                  void act(() => editMinutes(m.id, minutes), '纪要已保存');
                }}
              >
                保存纪要
              </Button>
              {can('approve_minutes') && (
                <Button
                  size="small"
                  type="primary"
                  disabled={busy || !m.minutes.text}
                  onClick={() => setApproving(true)}
                >
                  审定纪要
                </Button>
              )}
            </View>
          </>
        ) : (
          <Text className="gz-item__line">{m.minutes.text ?? '尚未填写'}</Text>
        )}
      </Card>
      <Dialog
        visible={approving}
        title="审定会议纪要"
        confirmText="审定并锁定"
        cancelText="取消"
        onConfirm={() => {
          setApproving(false);
          void act(() => approveMinutes(m.id), '纪要已审定');
        }}
        onCancel={() => setApproving(false)}
        onClose={() => setApproving(false)}
      >
        审定后会议纪要、表决和决议都不能再修改。
      </Dialog>
    </Page>
  );
}

function AgendaItem({
  meeting: m,
  item,
  busy,
  act,
  name,
}: {
  meeting: JointMeetingView;
  item: JointAgendaItemView;
  busy: boolean;
  act: Act;
  name: (k: string) => string;
}) {
  const open = m.minutes.status === 'draft' && m.status === 'held';
  const [joint, setJoint] = useState(item.consultation?.joint ?? '');
  const [individual, setIndividual] = useState(item.consultation?.individual ?? '');
  const [votes, setVotes] = useState({ for: '', against: '', abstain: '' });
  const [text, setText] = useState('');
  const [org, setOrg] = useState<Org>('property');
  const [person, setPerson] = useState<string[]>([]);
  const [due, setDue] = useState(chinaDay(30));
  const [disposition, setDisposition] = useState<'dispatch' | 'close'>('dispatch');
  const [milestones, setMilestones] = useState('');
  const [deferring, setDeferring] = useState(false);
  const active = item.status === 'pending' || item.status === 'voted';
  const can = (a: JointAgendaItemView['allowedActions'][number]) => item.allowedActions.includes(a);

  return (
    <View className="gz-item gz-agenda-item">
      <View className="gz-row">
        <Text className="gz-item__title">
          {item.no}. {item.title}
        </Text>
        <View style={{ flex: 1 }} />
        <Text className="gz-status">{AGENDA_ITEM_STATUS_NAMES[item.status]}</Text>
      </View>
      <Text className="gz-muted">{AGENDA_SOURCE_NAMES[item.source]}</Text>
      {item.briefing && (
        <Text className="gz-item__line" style={{ whiteSpace: 'pre-wrap' }}>
          {item.briefing}
        </Text>
      )}
      {item.zoneResolution && (
        <Text className="gz-item__line gz-muted">区域会议决议：{item.zoneResolution.resolution}</Text>
      )}
      {item.reconsiders && (
        <Text className="gz-item__line gz-muted">复议理由：{item.reconsiders.reason}</Text>
      )}
      {item.deferReason && <Text className="gz-item__line">暂缓原因：{item.deferReason}</Text>}

      {item.consultation && (
        <Text className="gz-item__line">
          协商情况：{item.consultation.individual ? `个别酝酿：${item.consultation.individual}；` : ''}
          共同协商：
          {item.consultation.joint}
        </Text>
      )}
      {can('consult') && (
        <View>
          <Text className="gz-label">个别酝酿（可选）</Text>
          <TextArea
            className="gz-textarea"
            placeholder="会前个别听取的意见"
            value={individual}
            onChange={setIndividual}
            rows={2}
          />
          <Text className="gz-label">共同协商</Text>
          <TextArea
            className="gz-textarea"
            placeholder="会上共同协商情况"
            value={joint}
            onChange={setJoint}
            rows={2}
          />
          <View className="gz-item__actions">
            <Button
              size="small"
              fill="outline"
              type="primary"
              loading={busy}
              onClick={() => {
                if (!joint.trim()) return toast('请填写共同协商情况', 'warn');
                void act(
                  () => recordConsultation(m.id, item.no, joint, individual.trim() || undefined),
                  '协商情况已记录',
                );
              }}
            >
              记录协商
            </Button>
          </View>
        </View>
      )}

      {item.vote && (
        <Text className={`gz-item__line ${item.vote.passed ? 'gz-ok' : 'gz-bad'} gz-vote-result`}>
          表决：赞成 {item.vote.for}，反对 {item.vote.against}，弃权 {item.vote.abstain}（出席{' '}
          {item.vote.present}）——
          {item.vote.passed ? '通过' : '未通过'}
        </Text>
      )}
      {item.vote && <Text className="gz-item__line gz-muted">{item.vote.text}</Text>}
      {can('vote') && (
        <View>
          <Text className="gz-label">民主表决（出席 {m.quorum.present} 人）</Text>
          <View className="gz-votes">
            {(['for', 'against', 'abstain'] as const).map((k) => (
              <Input
                key={k}
                className="gz-input"
                type="number"
                placeholder={{ for: '赞成', against: '反对', abstain: '弃权' }[k]}
                value={votes[k]}
                onChange={(v) => setVotes({ ...votes, [k]: v })}
              />
            ))}
          </View>
          <View className="gz-item__actions">
            {can('defer') && (
              <Button size="small" fill="outline" disabled={busy} onClick={() => setDeferring(true)}>
                暂缓审议
              </Button>
            )}
            <Button
              size="small"
              type="primary"
              loading={busy}
              onClick={() => {
                const n = (s: string) => (s.trim() === '' ? 0 : Number(s));
                const v = { for: n(votes.for), against: n(votes.against), abstain: n(votes.abstain) };
                if (Object.values(v).some((x) => !Number.isInteger(x) || x < 0))
                  return toast('票数应为非负整数', 'warn');
                void act(() => recordVote(m.id, item.no, v), '表决已记录');
              }}
            >
              记录表决
            </Button>
          </View>
        </View>
      )}

      {item.resolution && (
        <View className="gz-resolution-box">
          <Text className="gz-item__line">决议：{item.resolution.text}</Text>
          <Text className="gz-item__line gz-muted">
            责任单位 {ORG_NAMES[item.resolution.responsibleOrg]} · 责任人{' '}
            {name(item.resolution.responsiblePerson)} · 期限 {item.resolution.dueDate} ·{' '}
            {RESOLUTION_DISPOSITION_NAMES[item.resolution.disposition]}
          </Text>
          {item.resolutionId && (
            <View className="gz-item__actions">
              <Button
                size="small"
                fill="outline"
                type="primary"
                onClick={() =>
                  Taro.navigateTo({ url: `/meetings/pages/resolution/index?id=${item.resolutionId}` })
                }
              >
                查看落实进度
              </Button>
            </View>
          )}
        </View>
      )}
      {can('resolve') && (
        <View>
          <Text className="gz-label">决议内容</Text>
          <TextArea className="gz-textarea" placeholder="决议内容" value={text} onChange={setText} rows={3} />
          <Text className="gz-label">责任单位</Text>
          <Segmented<Org>
            options={(['party', 'rc', 'oc', 'property'] as const).map((o) => ({
              key: o,
              label: ORG_NAMES[o],
            }))}
            value={org}
            onChange={(o) => {
              setOrg(o);
              setPerson([]);
            }}
          />
          <Text className="gz-label">责任人</Text>
          <CheckList
            options={m.invitees
              .filter((i) => i.org === org)
              .map((i) => ({ key: i.person, label: name(i.person) }))}
            value={person}
            onChange={(v) => setPerson(v.slice(-1))}
          />
          <Text className="gz-label">完成期限</Text>
          <PickField mode="date" value={due} onChange={setDue} />
          <Text className="gz-label">问题处理方式</Text>
          <Segmented<'dispatch' | 'close'>
            options={[
              { key: 'dispatch', label: RESOLUTION_DISPOSITION_NAMES.dispatch },
              { key: 'close', label: RESOLUTION_DISPOSITION_NAMES.close },
            ]}
            value={disposition}
            onChange={setDisposition}
          />
          <Text className="gz-label">进度节点（可选，每行一个）</Text>
          <TextArea
            className="gz-textarea"
            placeholder="例如：完成方案设计"
            value={milestones}
            onChange={setMilestones}
            rows={2}
          />
          <View className="gz-item__actions">
            <Button
              size="small"
              type="primary"
              loading={busy}
              onClick={() => {
                if (!text.trim()) return toast('请填写决议内容', 'warn');
                if (!person[0]) return toast('请选择责任人', 'warn');
                void act(
                  () =>
                    recordResolution(m.id, item.no, {
                      text: text.trim(),
                      responsibleOrg: org,
                      responsiblePerson: person[0]!,
                      dueDate: due,
                      disposition,
                      milestones: milestones
                        .split('\n')
                        .map((s) => s.trim())
                        .filter(Boolean)
                        .map((title) => ({ title })),
                    }),
                  '决议已形成',
                );
              }}
            >
              形成决议
            </Button>
          </View>
        </View>
      )}
      {active && !open && m.status === 'scheduled' && (
        <Text className="gz-muted">登记出席后即可记录协商、表决和决议。</Text>
      )}
      <ReasonDialog
        visible={deferring}
        title="暂缓审议的原因"
        placeholder="例如：需补充材料，下次会议再议"
        onCancel={() => setDeferring(false)}
        onConfirm={(reason) => {
          setDeferring(false);
          void act(() => deferItem(m.id, item.no, reason), '已暂缓，转入下次会议');
        }}
      />
    </View>
  );
}
