import { z } from 'zod';

/** One uploaded file may be at most this large (phones take 3–8 MB photos). */
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

/**
 * A stored photo as the API returns it. Three sizes exist: the original (re-encoded JPEG, metadata
 * stripped), a display size and a thumbnail. `uploadToken` is only in the upload response of an
 * anonymous upload: it is shown once, only its hash is kept, and it proves the upload was yours.
 */
export const PhotoView = z.object({
  id: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  bytes: z.number().int(),
  mime: z.string(),
  url: z.string(),
  displayUrl: z.string(),
  thumbUrl: z.string(),
  uploadToken: z.string().optional(),
});
export type PhotoView = z.infer<typeof PhotoView>;

export const PhotoUploadResult = z.object({ photos: z.array(PhotoView) });
export type PhotoUploadResult = z.infer<typeof PhotoUploadResult>;
