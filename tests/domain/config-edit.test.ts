import {
  applyConfigChanges,
  type ConfigChange,
  checkConfigSuccession,
  diffCommunityConfigs,
  validateCommunityConfig,
} from '../../packages/domain/src';
import { shippedConfig } from './fixtures';

/** Apply, validate, diff: what an administrator's edit goes through. */
function run(changes: ConfigChange[]) {
  const before = shippedConfig();
  const applied = applyConfigChanges(before, changes);
  if (!applied.ok) return { applyProblems: applied.problems.map((p) => p.path) };
  const v = validateCommunityConfig(applied.config);
  if (!v.ok) return { problems: v.problems.map((p) => p.path) };
  return { diff: diffCommunityConfigs(before, v.community.config).map((d) => d.text) };
}

describe('configuration edits: applied, validated by the same rules as the YAML, diffed in Chinese', () => {
  it.each<[string, ConfigChange[], object]>([
    [
      'a successor takes a zone seat and the predecessor leaves',
      [
        { op: 'addPerson', key: 'wang-fang', name: '王芳' },
        { op: 'addZoneMember', zone: 'zone-1', person: 'wang-fang', org: 'property' },
        { op: 'removeZoneMember', zone: 'zone-1', person: 'zhang-lifen', org: 'property' },
        { op: 'deactivatePerson', person: 'zhang-lifen' },
      ],
      {
        diff: [
          '停用人员 张丽芬（已离任，历史记录保留）',
          '新增人员 王芳（wang-fang）',
          '第一责任区域：新增成员 王芳（物业公司）',
          '第一责任区域：移除成员 张丽芬（物业公司）',
        ],
      },
    ],
    [
      'the owners’ assembly elects a supervisory committee',
      [
        { op: 'addPerson', key: 'sun-liping', name: '孙立平' },
        { op: 'setSupervisoryCommittee', chair: 'sun-liping', members: ['sun-liping', 'zhang-yue'] },
      ],
      { diff: ['新增人员 孙立平（sun-liping）', '监督委员会：无 → 孙立平、张跃'] },
    ],
    [
      'a committee chair who is not a member',
      [{ op: 'setSupervisoryCommittee', chair: 'wen-liang', members: ['zhang-yue'] }],
      { problems: ['supervisoryCommittee.chair'] },
    ],
    [
      'an inactive person may hold no role',
      [{ op: 'deactivatePerson', person: 'tu-zhongmei' }],
      { problems: ['secretary'] },
    ],
    [
      'a new zone leader replaces the old one',
      [{ op: 'setZoneLeader', zone: 'zone-1', person: 'hu-shengjia' }],
      { diff: ['第一责任区域 组长：吴文杰 → 胡圣家'] },
    ],
    [
      'the secretary, a line leader, the leadership group',
      [
        { op: 'setSecretary', person: 'wen-liang' },
        { op: 'setLineLeader', line: 'elevator', person: 'he-xianyang' },
        { op: 'setLeadershipGroup', leader: 'wen-liang', members: ['chen-lifeng'] },
      ],
      {
        diff: [
          '电梯条线负责人：周建平 → 贺贤洋',
          '秘书：屠忠梅 → 闻良',
          '领导小组：移除成员 顾妹芳',
          '领导小组：移除成员 朱斌',
          '领导小组：移除成员 陈锡贤',
          '领导小组：移除成员 于兴利',
        ],
      },
    ],
    [
      'phone, contact and name of a person',
      [{ op: 'updatePerson', person: 'zhang-nen', name: '张嫩嫩', phone: '13800000000', showContact: true }],
      {
        diff: ['人员改名：张嫩 → 张嫩嫩', '张嫩嫩 的电话：（无） → 13800000000', '张嫩嫩 向居民公开联系方式'],
      },
    ],
    [
      'what does not exist cannot be changed',
      [
        { op: 'updatePerson', person: 'nobody', name: 'x' },
        { op: 'removeZoneMember', zone: 'zone-1', person: 'wu-wenjie', org: 'oc' },
        { op: 'setLineLeader', line: 'gas', person: 'wen-liang' },
      ],
      { applyProblems: ['changes[0].person', 'changes[1]', 'changes[2].line'] },
    ],
    [
      'a duplicate key is the validator’s to refuse',
      [{ op: 'addPerson', key: 'wen-liang', name: '闻良' }],
      { problems: ['people[36].key'] },
    ],
  ])('%s', (_name, changes, expected) => {
    expect(run(changes)).toEqual(expected);
  });

  it('no version may drop a person: history names them', () => {
    const before = shippedConfig();
    const after = shippedConfig();
    after.people = after.people.filter((p) => p.key !== 'zhang-lifen');
    expect(checkConfigSuccession(before, after)).toEqual([
      {
        path: 'people',
        message:
          '人员 "zhang-lifen"（张丽芬）不能从配置中删除：历史记录仍引用此人，请改为停用（active: false）',
        values: { person: 'zhang-lifen' },
      },
    ]);
    expect(checkConfigSuccession(before, shippedConfig())).toEqual([]);
  });
});
