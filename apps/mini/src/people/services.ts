import {
  AdminCommunityList,
  CommunityPeopleView,
  type ConfigChange,
  ConfigEditResult,
  ConfigVersionPage,
} from '@gongzhi/domain';
import { api } from '../services/http';

const base = (key: string) => `/api/admin/communities/${encodeURIComponent(key)}`;

export const listAdminCommunities = () => api(AdminCommunityList, '/api/admin/communities', { auth: true });

export const readPeople = (key: string) => api(CommunityPeopleView, `${base(key)}/people`, { auth: true });

/** One version: every pending change, the version they were based on, and why. */
export const saveChanges = (key: string, baseVersion: number, reason: string, changes: ConfigChange[]) =>
  api(ConfigEditResult, `${base(key)}/config-versions`, {
    method: 'POST',
    data: { baseVersion, reason, changes },
    auth: true,
  });

export const listVersions = (key: string, before?: number) =>
  api(ConfigVersionPage, `${base(key)}/config-versions${before ? `?before=${before}` : ''}`, { auth: true });
