import type {
  CategoryConfig,
  CommunityConfig,
  FacilityConfig,
  LineConfig,
  PersonConfig,
  ZoneConfig,
} from './schema';

/** One thing wrong with a config, with the path inside the file and the values involved. */
export interface ConfigProblem {
  path: string;
  message: string;
  values?: Record<string, unknown>;
  line?: number;
}

export interface BuildingRange {
  zone: string;
  from: number;
  to: number;
  path: string;
}

/** A validated community with its lookups. Plain data: safe to share between API and client. */
export interface Community {
  config: CommunityConfig;
  key: string;
  name: string;
  people: Map<string, PersonConfig>;
  zones: Map<string, ZoneConfig>;
  lines: Map<string, LineConfig>;
  categories: Map<string, CategoryConfig>;
  facilities: Map<string, FacilityConfig>;
  /** Every numbered building range, sorted by `from`; ranges never overlap. */
  ranges: BuildingRange[];
}
