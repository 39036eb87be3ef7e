import { ArchiveLinkView, ArchiveList, ArchiveView } from '@gongzhi/domain';
import { api } from '../services/http';

export const listArchives = (community: string) =>
  api(ArchiveList, `/api/communities/${encodeURIComponent(community)}/archives`, { auth: true });

export const createArchive = (community: string, quarter: string, allowOpenIssues = false) =>
  api(ArchiveView, `/api/communities/${encodeURIComponent(community)}/archives`, {
    method: 'POST',
    data: { quarter, allowOpenIssues },
    auth: true,
  });

/** A ten-minute download URL: neither a browser download nor WeChat can send the bearer header. */
export const archiveLink = (id: string) =>
  api(ArchiveLinkView, `/api/archives/${id}/link`, { method: 'POST', data: {}, auth: true });
