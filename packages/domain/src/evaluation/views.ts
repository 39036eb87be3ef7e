import { z } from 'zod';
import { QuarterKey } from '../archive/quarter';
import { Phone } from '../issues/schema';
import { Cursor } from '../text';
import { AnswerSet } from './answers';
import { CAMPAIGN_VIEW_ACTIONS, CampaignStatus } from './campaign';
import { CodeText } from './codes';
import { BuildingNumber, HomeStatus, ResponseChannel, RoomText } from './household';
import { EvaluationQuestion, Questionnaire, TargetKind } from './questionnaire';

// What the evaluation API takes and returns (issue 8). The client parses responses with these.

const CommunityKey = z.string().min(1, '请指定小区').max(64);
const ZoneKey = z.string().min(1).max(32);
const Limit = z.coerce
  .number('每页条数应为数字')
  .int()
  .min(1, '每页至少 1 条')
  .max(100, '每页最多 100 条')
  .default(50);

export const CreateCampaignInput = z.strictObject({
  community: CommunityKey,
  quarter: QuarterKey,
  title: z.string().trim().min(4, '标题至少 4 个字').max(60, '标题最多 60 字').optional(),
  /** Questions of this campaign; the default questionnaire when left out. */
  questions: z.array(EvaluationQuestion).max(20, '题目最多 20 道').optional(),
});
export type CreateCampaignInput = z.infer<typeof CreateCampaignInput>;

export const ListCampaignsQuery = z.strictObject({ community: CommunityKey });

export const CampaignStats = z.object({
  responses: z.number(),
  byChannel: z.object({ account: z.number(), code: z.number() }),
  codesIssued: z.number(),
  codesUsed: z.number(),
});
export type CampaignStats = z.infer<typeof CampaignStats>;

export const CampaignView = z.object({
  id: z.string(),
  community: z.string(),
  quarter: z.string(),
  title: z.string(),
  status: CampaignStatus,
  statusName: z.string(),
  questionnaire: Questionnaire,
  createdAt: z.string(),
  openedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  publishedAt: z.string().nullable(),
  /** Participation so far: the leadership group only (null for everyone else). */
  stats: CampaignStats.nullable(),
  /** May the caller run this campaign (open, close, publish, codes, audit)? */
  canManage: z.boolean(),
  /** What the caller may do to it now (`campaignActions`); the page shows exactly these. */
  allowedActions: z.array(z.enum(CAMPAIGN_VIEW_ACTIONS)),
});
export type CampaignView = z.infer<typeof CampaignView>;

export const CampaignList = z.object({ items: z.array(CampaignView) });
export type CampaignList = z.infer<typeof CampaignList>;

/** Households to print codes for: a building's rooms (and its zone when no range covers it). */
export const GenerateCodesInput = z.strictObject({
  households: z
    .array(
      z.strictObject({
        building: BuildingNumber,
        zone: ZoneKey.optional(),
        rooms: z.array(RoomText).min(1, '请至少填写一个房号').max(500, '一栋楼最多 500 个房号'),
      }),
    )
    .min(1, '请至少填写一栋楼')
    .max(100, '一次最多 100 栋楼'),
  /** Replace a household's unused code (a lost slip); its old code stops working. */
  reissue: z.boolean().default(false),
});
export type GenerateCodesInput = z.input<typeof GenerateCodesInput>;

export const GeneratedCode = z.object({
  building: z.number(),
  room: z.string(),
  household: z.string(),
  zone: z.string(),
  zoneName: z.string(),
  /** Shown once, here: only its hash is stored. */
  code: z.string(),
});
export const GeneratedCodes = z.object({
  campaign: z.string(),
  batch: z.number(),
  codes: z.array(GeneratedCode),
  /** Households that already have a code (or have answered), with the reason. */
  skipped: z.array(z.object({ household: z.string(), reason: z.string() })),
});
export type GeneratedCodes = z.infer<typeof GeneratedCodes>;

export const CheckCodeInput = z.strictObject({ code: CodeText });
export const CodeCheckView = z.object({ campaign: CampaignView, household: z.string() });
export type CodeCheckView = z.infer<typeof CodeCheckView>;

export const HomeView = z.object({
  id: z.string(),
  community: z.string(),
  building: z.number(),
  room: z.string(),
  household: z.string(),
  zone: z.string(),
  zoneName: z.string(),
  status: HomeStatus,
  statusName: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
  note: z.string().nullable(),
  requestedAt: z.string(),
  decidedAt: z.string().nullable(),
  decidedBy: z.string().nullable(),
});
export type HomeView = z.infer<typeof HomeView>;
export const HomeList = z.object({ items: z.array(HomeView) });
export type HomeList = z.infer<typeof HomeList>;
export const HomePage = z.object({ items: z.array(HomeView), nextCursor: z.string().nullable() });
export type HomePage = z.infer<typeof HomePage>;

export const RequestHomeInput = z.strictObject({
  community: CommunityKey,
  building: BuildingNumber,
  room: RoomText,
  /** Only when the building is in no numbered range (e.g. zone 4, whose range is unconfirmed). */
  zone: ZoneKey.optional(),
  /** How the verifier addresses the resident (张阿姨, 302 王先生). */
  name: z.string().trim().min(1, '请填写称呼').max(20, '称呼最多 20 字'),
  phone: Phone.optional(),
});
export type RequestHomeInput = z.infer<typeof RequestHomeInput>;

export const ListHomeRequestsQuery = z.strictObject({
  community: CommunityKey,
  status: HomeStatus.default('pending'),
  cursor: Cursor,
  limit: Limit,
});
export type ListHomeRequestsQuery = z.infer<typeof ListHomeRequestsQuery>;

export const DecideHomeInput = z.strictObject({
  approve: z.boolean('请选择通过或不通过'),
  note: z.string().trim().max(200, '备注最多 200 字').optional(),
});
export type DecideHomeInput = z.infer<typeof DecideHomeInput>;

/** What a signed-in resident sees before answering. */
export const RespondentView = z.object({
  campaign: CampaignView,
  home: HomeView.nullable(),
  /** The household the resident would answer for, when they may. */
  household: z.string().nullable(),
  answered: z.boolean(),
  /** Why they may not answer with this account (null when they may). */
  reason: z.string().nullable(),
});
export type RespondentView = z.infer<typeof RespondentView>;

export const RespondInput = z.strictObject({
  /** A one-time code; without it the signed-in resident answers for their verified household. */
  code: CodeText.optional(),
  answers: AnswerSet,
});
export type RespondInput = z.infer<typeof RespondInput>;

export const ResponseReceipt = z.object({
  /** A fingerprint of the answers: keep it to check with the leadership that they were counted. */
  receipt: z.string(),
  household: z.string(),
  channel: ResponseChannel,
  channelName: z.string(),
  at: z.string(),
});
export type ResponseReceipt = z.infer<typeof ResponseReceipt>;

/** How many answered 1 … 5 (an array of five: a tuple's prefixItems trips OpenAPI linters). */
const Distribution = z.array(z.number()).length(5);
export const QuestionResultView = z.object({
  key: z.string(),
  text: z.string(),
  responses: z.number(),
  skipped: z.number(),
  mean: z.number().nullable(),
  distribution: Distribution,
  satisfaction: z.number().nullable(),
});
export const TargetResultView = z.object({
  key: z.string(),
  kind: TargetKind,
  name: z.string(),
  responses: z.number(),
  mean: z.number().nullable(),
  satisfaction: z.number().nullable(),
  questions: z.array(QuestionResultView),
});
export const CampaignResults = z.object({
  campaign: z.object({
    id: z.string(),
    community: z.string(),
    quarter: z.string(),
    title: z.string(),
    status: CampaignStatus,
    statusName: z.string(),
    closedAt: z.string().nullable(),
    publishedAt: z.string().nullable(),
  }),
  /** Households that responded, and through which channel. */
  responses: z.number(),
  byChannel: z.object({ account: z.number(), code: z.number() }),
  targets: z.array(TargetResultView),
});
export type CampaignResults = z.infer<typeof CampaignResults>;

export const AuditQuery = z.strictObject({ cursor: Cursor, limit: Limit });
export const AuditEntry = z.object({
  id: z.string(),
  household: z.string(),
  building: z.number(),
  room: z.string(),
  zone: z.string(),
  zoneName: z.string(),
  channel: ResponseChannel,
  channelName: z.string(),
  /** The credential that answered: who verified the binding and when, or the code's batch. */
  credential: z.string(),
  at: z.string(),
  receipt: z.string(),
  /** The stored answers still give the receipt recorded when they were submitted. */
  intact: z.boolean(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
export const AuditPage = z.object({ items: z.array(AuditEntry), nextCursor: z.string().nullable() });
export type AuditPage = z.infer<typeof AuditPage>;
