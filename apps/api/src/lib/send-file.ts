import type { FastifyReply } from 'fastify';
import type { KpiExport } from '../services/kpi/export-kpis';

/** A generated file as a download: its type, an ASCII name and the UTF-8 name, never cached. */
export const sendFile = (reply: FastifyReply, file: KpiExport) =>
  reply
    .type(file.contentType)
    .header(
      'content-disposition',
      `attachment; filename="${file.asciiName}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
    )
    .header('cache-control', 'private, no-store')
    .send(file.body);
