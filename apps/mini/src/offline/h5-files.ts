/**
 * H5 only: photos waiting in the outbox are kept in IndexedDB, because a blob: URL dies with the
 * page and localStorage holds only a few megabytes of text.
 * @h5-module
 */
const DB = 'gongzhi';
const STORE = 'photos';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function run<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const req = fn(db.transaction(STORE, mode).objectStore(STORE));
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  } finally {
    db.close();
  }
}

export const putBlob = (key: string, blob: Blob) => run('readwrite', (s) => s.put(blob, key));
export const getBlob = (key: string) => run<Blob | undefined>('readonly', (s) => s.get(key));
export const deleteBlob = (key: string) => run('readwrite', (s) => s.delete(key));
