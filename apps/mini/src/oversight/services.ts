import {
  OversightCommentsView,
  OversightCommentView,
  type OversightSubject,
  type RecordRoundBody,
  RoundsView,
  RoundView,
} from '@gongzhi/domain';
import { api, query } from '../services/http';

const C = (community: string) => `/api/communities/${encodeURIComponent(community)}`;

export const oversightComments = (community: string, subject: OversightSubject, ref: string) =>
  api(OversightCommentsView, `${C(community)}/oversight-comments${query({ subject, ref })}`, { auth: true });

export const addOversightComment = (
  input: { community: string; subject: OversightSubject; ref: string; text: string },
  idempotencyKey: string,
) =>
  api(OversightCommentView, `${C(input.community)}/oversight-comments`, {
    method: 'POST',
    data: { subject: input.subject, ref: input.ref, text: input.text },
    idempotencyKey,
    auth: true,
  });

export const listRounds = (community: string, month?: string) =>
  api(RoundsView, `${C(community)}/rounds${query({ month })}`, { auth: true });

/** Sent with the same Idempotency-Key on every retry: a round recorded on a weak signal is kept once. */
export const recordRound = (input: RecordRoundBody, idempotencyKey: string) =>
  api(RoundView, '/api/rounds', { method: 'POST', data: input, idempotencyKey, auth: true });
