import { statfs } from 'node:fs/promises';
import { DomainError } from '@gongzhi/domain';
import { type Database, databaseFailure, ping } from '../../db/client';

/** The data directories to watch and the free space each must keep (MIN_FREE_DISK_MB). */
export interface DiskWatch {
  paths: string[];
  minFreeMb: number;
}

/**
 * Readiness: the database answers (within its ping timeout) and every data directory's disk has
 * room. A full disk is reported as such (503 disk_full), any other database failure as
 * database_unavailable; the cause is logged, never sent.
 */
export async function readiness(
  database: Database,
  disk: DiskWatch | undefined,
  log: { error: (obj: object, msg: string) => void },
) {
  try {
    await ping(database.db);
  } catch (err) {
    log.error({ err }, 'readiness check failed');
    if (databaseFailure(err) === 'disk_full') {
      throw new DomainError('unavailable', 'disk_full', '数据库所在磁盘已满，无法写入');
    }
    throw new DomainError('unavailable', 'database_unavailable', '数据库暂时不可用');
  }
  let freeDiskMb: number | undefined;
  for (const dir of disk?.paths ?? []) {
    const s = await statfs(dir);
    const free = Math.floor((s.bavail * s.bsize) / 1024 / 1024);
    freeDiskMb = Math.min(freeDiskMb ?? free, free);
    if (free < disk!.minFreeMb) {
      throw new DomainError(
        'unavailable',
        'disk_full',
        `数据目录 ${dir} 所在磁盘剩余空间不足：${free} MB（至少需要 ${disk!.minFreeMb} MB，见 MIN_FREE_DISK_MB）`,
      );
    }
  }
  return { status: 'ready' as const, database: database.kind, freeDiskMb };
}
