import {
  type CreateExternalOrderInput,
  ExternalOrderPage,
  ExternalOrderView,
  MonthlyTopicsPage,
  type PickTopicInput,
} from '@gongzhi/domain';
import { api, query } from './http';

export const listExternalOrders = (community: string, unreplied: boolean) =>
  api(
    ExternalOrderPage,
    `/api/external-orders${query({ community, unreplied: unreplied ? 'true' : undefined })}`,
    {
      auth: true,
    },
  );

export const createExternalOrder = (input: CreateExternalOrderInput, idempotencyKey: string) =>
  api(ExternalOrderView, '/api/external-orders', { method: 'POST', data: input, auth: true, idempotencyKey });

export const replyExternalOrder = (id: string, text: string) =>
  api(ExternalOrderView, `/api/external-orders/${id}/reply`, { method: 'POST', data: { text }, auth: true });

export const listTopics = (community: string, month?: string) =>
  api(MonthlyTopicsPage, `/api/monthly-topics${query({ community, month })}`, { auth: true });

export const pickTopic = (input: PickTopicInput) =>
  api(MonthlyTopicsPage, '/api/monthly-topics', { method: 'POST', data: input, auth: true });
