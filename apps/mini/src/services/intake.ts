import {
  type CreateExternalOrderInput,
  ExternalOrderPage,
  ExternalOrderView,
  MonthlyTopicsPage,
  type PickTopicInput,
} from '@gongzhi/domain';
import { api, query } from './http';
import { downloadTable } from './kpi';

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

/** The hotline's export (12345): its order numbers, our codes, status and the replies (CSV / XLSX). */
export const downloadExternalOrders = (community: string, format: 'csv' | 'xlsx') =>
  downloadTable(
    `/api/external-orders/export${query({ community, source: 'hotline_12345', format })}`,
    format,
    'hotline-12345',
  );
