/** Who attends a joint meeting of 夏朵园: 13 of its members, a quorum of every organisation. */
export const JOINT_MEETING_PRESENT = [
  'wen-liang',
  'chen-lifeng',
  'gu-meifang',
  'zhang-nen',
  'li-yongkang',
  'chen-xia',
  'wu-wenjie',
  'hu-shengjia',
  'li-gang',
  'zhang-lifen',
  'shen-xuli',
  'tang-wangwei',
  'guo-honghui',
];
