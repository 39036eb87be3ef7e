// The child process photo-workers.ts forks: encodes photos at a lower CPU priority.
import './lower-priority';
import { DomainError } from '@gongzhi/domain';
import { asBuffer, type EncodeRequest, type WorkerReply } from './photo-workers';
import { encodeSizes } from './process-photo';

const reply = (message: WorkerReply) => process.send?.(message);

process.on('message', async (message: Omit<EncodeRequest, 'data'> & { id: number; data: Uint8Array }) => {
  const { id, data, path, hasAlpha } = message;
  try {
    reply({ id, photo: await encodeSizes(asBuffer(data), path, hasAlpha) });
  } catch (err) {
    if (err instanceof DomainError) {
      reply({ id, error: { kind: err.kind, code: err.code, message: err.message, details: err.details } });
    } else {
      // Not a refusal of the photo: something is wrong with this process. The pool fails the job
      // and starts another.
      console.error('照片处理进程出错：', err);
      process.exit(1);
    }
  }
});
// The API went away (or closed the pool): nothing more will come.
process.on('disconnect', () => process.exit(0));
