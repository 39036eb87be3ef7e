import { type CommunityPeopleView, type ConfigChange, ORG_NAMES, ORGS, type Org } from '@gongzhi/domain';
import { Button, Cell, CellGroup, Dialog, Input, Picker, Switch } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import { useCallback, useState } from 'react';
import { NavCell } from '../../../components/nav-cell';
import { Card, Page } from '../../../components/page';
import { ReasonDialog } from '../../../components/reason-dialog';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { PageToast, toast } from '../../../components/toast';
import { useReload } from '../../../hooks/use-reload';
import { ApiError } from '../../../services/http';
import { listAdminCommunities, readPeople, saveChanges } from '../../services';
import '../../people.css';

/** A change not saved yet, with the sentence the list of pending changes shows. */
interface Pending {
  id: number;
  change: ConfigChange;
  text: string;
}

interface Picking {
  title: string;
  columns: { value: string; label: string }[][];
  onPick: (values: string[]) => void;
}

interface PersonForm {
  key: string | null;
  name: string;
  phone: string;
  showContact: boolean;
  active: boolean;
}

/**
 * 人员与网格 (administrators): a community's people, zone memberships and leaders, line leaders,
 * the secretary and the leadership group. Changes collect in a list and are saved together, with a
 * reason, as one new version of the configuration; the server validates them like the YAML and
 * lists every problem when it refuses.
 */
export default function PeoplePage() {
  const [view, setView] = useState<CommunityPeopleView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [empty, setEmpty] = useState(false);
  const [pending, setPending] = useState<Pending[]>([]);
  const [problems, setProblems] = useState<{ path?: string; message: string }[]>([]);
  const [picking, setPicking] = useState<Picking | null>(null);
  const [form, setForm] = useState<PersonForm | null>(null);
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    setError(null);
    try {
      const list = await listAdminCommunities();
      if (list.length === 0) return setEmpty(true);
      setView(await readPeople(list[0]!.key));
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  useReload(load, 'mount');

  if (error) return <ErrorState message={error} onRetry={load} />;
  if (empty) return <EmptyState title="还没有小区配置" />;
  if (!view) return <LoadingState />;

  const added = pending.flatMap((p) => (p.change.op === 'addPerson' ? [p.change] : []));
  const nameOf = (key: string) =>
    view.people.find((p) => p.key === key)?.name ?? added.find((p) => p.key === key)?.name ?? key;
  const choosable = [
    ...view.people.filter((p) => p.active).map((p) => ({ value: p.key, label: p.name })),
    ...added.map((p) => ({ value: p.key, label: `${p.name}（新）` })),
  ];
  const add = (change: ConfigChange, text: string) => {
    setPending((list) => [...list, { id: (list[list.length - 1]?.id ?? 0) + 1, change, text }]);
    setProblems([]);
  };
  // Edits of the committee build on the pending ones, so several can be queued before saving.
  const lastCommittee = pending
    .flatMap((p) => (p.change.op === 'setSupervisoryCommittee' ? [p.change] : []))
    .at(-1);
  const committee = lastCommittee
    ? {
        chair: lastCommittee.chair ? { key: lastCommittee.chair, name: nameOf(lastCommittee.chair) } : null,
        members: lastCommittee.members.map((k) => ({ key: k, name: nameOf(k) })),
      }
    : view.supervisoryCommittee;
  const memberKeys = committee.members.map((m) => m.key);
  const setCommittee = (chair: string | null, members: string[], text: string) =>
    add({ op: 'setSupervisoryCommittee', chair, members }, text);
  const pickPerson = (title: string, onPick: (key: string) => void) =>
    setPicking({ title, columns: [choosable], onPick: ([k]) => onPick(k!) });

  const save = async (reason: string) => {
    setAsking(false);
    setBusy(true);
    try {
      const result = await saveChanges(
        view.key,
        view.version,
        reason,
        pending.map((p) => p.change),
      );
      setView(result.community);
      setPending([]);
      setProblems([]);
      toast(`已保存为第 ${result.version.version} 版，各终端数秒内生效`, 'success');
    } catch (e) {
      if (e instanceof ApiError && e.code === 'config_invalid') {
        setProblems(e.details);
        toast('修改未通过校验，请按提示调整', 'warn');
      } else if (e instanceof ApiError && e.code === 'config_version_stale') {
        toast(e.message, 'warn');
        await load();
      } else toast((e as Error).message, 'fail');
    } finally {
      setBusy(false);
    }
  };

  const submitForm = () => {
    if (!form) return;
    const name = form.name.trim();
    if (!name) return toast('请填写姓名', 'warn');
    if (form.phone && !/^1\d{10}$/.test(form.phone)) return toast('手机号应为 11 位数字', 'warn');
    if (form.key === null) {
      // A key people never type: unique, and valid as a config key.
      const key = `p-${Date.now().toString(36)}`;
      add(
        {
          op: 'addPerson',
          key,
          name,
          ...(form.phone ? { phone: form.phone } : {}),
          showContact: form.showContact,
        },
        `新增人员 ${name}`,
      );
    } else {
      const old = view.people.find((p) => p.key === form.key)!;
      const change: ConfigChange = { op: 'updatePerson', person: form.key };
      if (name !== old.name) change.name = name;
      if ((form.phone || null) !== old.phone) change.phone = form.phone || null;
      if (form.showContact !== old.showContact) change.showContact = form.showContact;
      if (Object.keys(change).length > 2) add(change, `修改 ${old.name} 的资料`);
    }
    setForm(null);
  };

  return (
    <Page>
      <PageToast />
      <Card title={view.name} extra={<Text className="gz-tag">第 {view.version} 版</Text>}>
        <Text className="gz-muted">
          修改先加入下方“待保存的修改”，写明原因后一起保存为新版本；离任人员请停用，不会删除，历史记录仍显示其姓名。
        </Text>
      </Card>
      <CellGroup>
        <NavCell
          title="版本记录"
          description="每一版的修改人、时间、原因和改动"
          url={`/people/pages/versions/index?community=${view.key}`}
        />
      </CellGroup>

      {(pending.length > 0 || problems.length > 0) && (
        <Card title={`待保存的修改（${pending.length} 项）`}>
          {pending.map((p) => (
            <View key={p.id} className="gz-people__pending">
              <Text>{p.text}</Text>
              <Button
                size="small"
                fill="none"
                onClick={() => setPending((l) => l.filter((x) => x.id !== p.id))}
              >
                撤销
              </Button>
            </View>
          ))}
          {problems.map((p) => (
            <View key={`${p.path}-${p.message}`}>
              <Text className="gz-people__problem">{p.message}</Text>
              {p.path && <Text className="gz-people__path">{p.path}</Text>}
            </View>
          ))}
          {pending.length > 0 && (
            <Button className="gz-submit" block type="primary" loading={busy} onClick={() => setAsking(true)}>
              保存为新版本
            </Button>
          )}
        </Card>
      )}

      {view.zones.map((z) => (
        <CellGroup key={z.key} title={z.name}>
          <Cell
            title={`组长：${z.leader.name}`}
            description="点击更换组长（须为业委会成员）"
            clickable
            onClick={() =>
              pickPerson(`${z.name}组长`, (k) =>
                add({ op: 'setZoneLeader', zone: z.key, person: k }, `${z.name} 组长改为 ${nameOf(k)}`),
              )
            }
          />
          {z.members.map((m) => (
            <Cell
              key={`${m.key}-${m.org}`}
              title={m.name}
              description={ORG_NAMES[m.org]}
              extra={
                <Button
                  size="small"
                  fill="outline"
                  onClick={() =>
                    add(
                      { op: 'removeZoneMember', zone: z.key, person: m.key, org: m.org },
                      `${z.name}：移除 ${m.name}（${ORG_NAMES[m.org]}）`,
                    )
                  }
                >
                  移除
                </Button>
              }
            />
          ))}
          <Cell
            title="＋ 添加成员"
            clickable
            onClick={() =>
              setPicking({
                title: `${z.name}：添加成员`,
                columns: [choosable, ORGS.map((o) => ({ value: o, label: ORG_NAMES[o] }))],
                onPick: ([k, org]) =>
                  add(
                    { op: 'addZoneMember', zone: z.key, person: k!, org: org as Org },
                    `${z.name}：新增成员 ${nameOf(k!)}（${ORG_NAMES[org as Org]}）`,
                  ),
              })
            }
          />
        </CellGroup>
      ))}

      <CellGroup title="条线负责人">
        {view.lines.map((l) => (
          <Cell
            key={l.key}
            title={`${l.name}：${l.leader?.name ?? '（无）'}`}
            clickable
            onClick={() =>
              pickPerson(`${l.name}条线负责人`, (k) =>
                add({ op: 'setLineLeader', line: l.key, person: k }, `${l.name}条线负责人改为 ${nameOf(k)}`),
              )
            }
          />
        ))}
      </CellGroup>

      <CellGroup title="秘书与领导小组">
        <Cell
          title={`秘书：${view.secretary?.name ?? '（无）'}`}
          clickable
          onClick={() =>
            pickPerson('秘书', (k) => add({ op: 'setSecretary', person: k }, `秘书改为 ${nameOf(k)}`))
          }
        />
        <Cell
          title={`领导小组组长：${view.leadershipGroup.leader.name}`}
          clickable
          onClick={() =>
            pickPerson('领导小组组长', (k) =>
              add(
                {
                  op: 'setLeadershipGroup',
                  leader: k,
                  members: view.leadershipGroup.members.map((m) => m.key).filter((m) => m !== k),
                },
                `领导小组组长改为 ${nameOf(k)}`,
              ),
            )
          }
        />
        {view.leadershipGroup.members.map((m) => (
          <Cell
            key={m.key}
            title={m.name}
            description="领导小组成员"
            extra={
              <Button
                size="small"
                fill="outline"
                onClick={() =>
                  add(
                    {
                      op: 'setLeadershipGroup',
                      leader: view.leadershipGroup.leader.key,
                      members: view.leadershipGroup.members.map((x) => x.key).filter((x) => x !== m.key),
                    },
                    `领导小组：移除 ${m.name}`,
                  )
                }
              >
                移除
              </Button>
            }
          />
        ))}
        <Cell
          title="＋ 添加领导小组成员"
          clickable
          onClick={() =>
            pickPerson('领导小组成员', (k) =>
              add(
                {
                  op: 'setLeadershipGroup',
                  leader: view.leadershipGroup.leader.key,
                  members: [...view.leadershipGroup.members.map((x) => x.key), k],
                },
                `领导小组：新增成员 ${nameOf(k)}`,
              ),
            )
          }
        />
      </CellGroup>

      <CellGroup title="监督委员会（业主大会选举）">
        <Cell
          title={`主任：${committee.chair?.name ?? '（未指定）'}`}
          description="点击从委员中指定主任"
          clickable
          onClick={() =>
            committee.members.length === 0
              ? toast('请先添加委员', 'warn')
              : setPicking({
                  title: '监督委员会主任',
                  columns: [committee.members.map((m) => ({ value: m.key, label: m.name }))],
                  onPick: ([k]) => setCommittee(k!, memberKeys, `监督委员会主任改为 ${nameOf(k!)}`),
                })
          }
        />
        {committee.members.map((m) => (
          <Cell
            key={m.key}
            title={m.name}
            description={m.key === committee.chair?.key ? '主任' : '委员'}
            extra={
              <Button
                size="small"
                fill="outline"
                onClick={() =>
                  setCommittee(
                    m.key === committee.chair?.key ? null : (committee.chair?.key ?? null),
                    memberKeys.filter((k) => k !== m.key),
                    `监督委员会：移除 ${m.name}`,
                  )
                }
              >
                移除
              </Button>
            }
          />
        ))}
        <Cell
          title="＋ 添加委员"
          clickable
          onClick={() =>
            pickPerson('监督委员会委员', (k) =>
              memberKeys.includes(k)
                ? toast(`${nameOf(k)} 已是委员`, 'warn')
                : setCommittee(
                    committee.chair?.key ?? null,
                    [...memberKeys, k],
                    `监督委员会：新增委员 ${nameOf(k)}`,
                  ),
            )
          }
        />
      </CellGroup>

      <CellGroup title={`人员（${view.people.length}）`}>
        <Cell
          title="＋ 新增人员"
          clickable
          onClick={() => setForm({ key: null, name: '', phone: '', showContact: false, active: true })}
        />
        {view.people.map((p) => (
          <Cell
            key={p.key}
            title={
              <Text>
                {p.name}
                {!p.active && <Text className="gz-tag gz-people__tag">已停用</Text>}
              </Text>
            }
            description={p.roles.length ? p.roles.join('；') : '无职务'}
            extra={p.phone ?? ''}
            clickable
            onClick={() =>
              setForm({
                key: p.key,
                name: p.name,
                phone: p.phone ?? '',
                showContact: p.showContact,
                active: p.active,
              })
            }
          />
        ))}
      </CellGroup>

      {picking && (
        <Picker
          title={picking.title}
          visible
          options={picking.columns}
          // Confirming without turning the wheel picks what it shows: the first of each column.
          defaultValue={picking.columns.map((c) => c[0]?.value ?? '')}
          onConfirm={(_, values) => {
            const pick = picking;
            setPicking(null);
            pick.onPick(values.map(String));
          }}
          onClose={() => setPicking(null)}
        />
      )}

      <Dialog
        visible={form !== null}
        title={form?.key === null ? '新增人员' : '人员资料'}
        confirmText="加入待保存"
        cancelText="取消"
        onConfirm={submitForm}
        onCancel={() => setForm(null)}
        onClose={() => setForm(null)}
      >
        {form && (
          <View>
            <View className="gz-people__field">
              <Text className="gz-label">姓名</Text>
              <Input placeholder="姓名" value={form.name} onChange={(v) => setForm({ ...form, name: v })} />
            </View>
            <View className="gz-people__field">
              <Text className="gz-label">手机号（选填）</Text>
              <Input
                placeholder="11 位手机号"
                type="tel"
                maxLength={11}
                value={form.phone}
                onChange={(v) => setForm({ ...form, phone: v })}
              />
            </View>
            <View className="gz-row gz-people__field">
              <Text>向居民公开联系方式</Text>
              <Switch checked={form.showContact} onChange={(v) => setForm({ ...form, showContact: v })} />
            </View>
            {form.key !== null && (
              <Button
                block
                fill="outline"
                type={form.active ? 'danger' : 'primary'}
                onClick={() => {
                  const key = form.key!;
                  add(
                    form.active
                      ? { op: 'deactivatePerson', person: key }
                      : { op: 'reactivatePerson', person: key },
                    form.active ? `停用 ${nameOf(key)}（离任）` : `恢复启用 ${nameOf(key)}`,
                  );
                  setForm(null);
                }}
              >
                {form.active ? '停用（离任，须先移交其职务）' : '恢复启用'}
              </Button>
            )}
          </View>
        )}
      </Dialog>

      <ReasonDialog
        visible={asking}
        title="修改原因"
        placeholder="例如：张丽芬调离，王芳接任第一责任区域物业专员"
        onConfirm={save}
        onCancel={() => setAsking(false)}
      />
    </Page>
  );
}
