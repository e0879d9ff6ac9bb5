/** A page image fetched with the API key; says so when it cannot be shown instead of leaving a hole. */
import { useEffect, useState } from 'preact/hooks';
import { pageImage } from '../shared/api.js';

export function PageImage({
  fileId,
  page,
  size,
  alt,
  style,
}: {
  fileId: string;
  page: number;
  size: number;
  alt: string;
  style?: Record<string, string>;
}) {
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    setUrl(null);
    setFailed(null);
    pageImage(fileId, page, size).then(
      (value) => current && setUrl(value),
      (error: Error) => current && setFailed(error.message),
    );
    return () => {
      current = false;
    };
  }, [fileId, page, size]);
  if (failed)
    return (
      <div class="page-image-missing" role="img" aria-label={`${alt}: ${failed}`}>
        Image unavailable
      </div>
    );
  if (!url) return <div class="page-image-loading" role="img" aria-label={`${alt} (loading)`} />;
  return <img src={url} alt={alt} style={style} draggable={false} />;
}
