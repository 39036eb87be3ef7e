import { z } from 'zod';

/** The steps that record an event and leave the state as it is. */
export const CASE_STEPS = [
  'request_extension',
  'approve_extension',
  'refuse_extension',
  'dispute_return',
  'uphold_return',
  'overrule_return',
  'urge',
  'request_parking',
  'approve_parking',
  'refuse_parking',
] as const;
export type CaseStep = (typeof CASE_STEPS)[number];
export const CaseStepSchema = z.enum(CASE_STEPS);

export const CASE_STEP_NAMES: Record<CaseStep, string> = {
  request_extension: '申请延期',
  approve_extension: '同意延期',
  refuse_extension: '不同意延期',
  dispute_return: '对退单有异议，提请裁定',
  uphold_return: '裁定退单成立',
  overrule_return: '裁定退单不成立，原承办人重新办理',
  urge: '督办',
  request_parking: '申请挂账',
  approve_parking: '同意挂账',
  refuse_parking: '不同意挂账',
};
