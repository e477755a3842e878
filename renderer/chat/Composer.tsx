import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { imageMediaTypes, MAX_IMAGE_BYTES, type ContentPart } from '../../shared/chat';

type ImagePart = Extract<ContentPart, { type: 'image' }>;

function readImage(file: File): Promise<ImagePart> {
  return new Promise((resolve, reject) => {
    if (!(imageMediaTypes as readonly string[]).includes(file.type)) return reject(new Error('type'));
    if (file.size > MAX_IMAGE_BYTES) return reject(new Error('size'));
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve({ type: 'image', mediaType: file.type as ImagePart['mediaType'], data: url.slice(url.indexOf(',') + 1) });
    };
    reader.onerror = () => reject(new Error('read'));
    reader.readAsDataURL(file);
  });
}

/**
 * Where a message is written: Enter sends, Shift+Enter starts a new line, Esc stops an answer.
 * Images can be attached; a model that does not take them says so before anything is sent.
 */
export function Composer({
  model,
  blocked = null,
  takesImages,
  busy,
  editing,
  onSend,
  onStop,
  onCancelEdit,
}: {
  model: string | null;
  /** Why nothing can be sent now (the school allows only its assistants, and none is picked); null when it can. */
  blocked?: string | null;
  takesImages: boolean | null;
  busy: boolean;
  editing: { id: number; text: string } | null;
  onSend: (parts: ContentPart[]) => Promise<boolean>;
  onStop: () => void;
  onCancelEdit: () => void;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [images, setImages] = useState<ImagePart[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const noteId = useId();

  // A message to edit replaces what is in the box (adjusted while rendering, as React advises).
  const [editingShown, setEditingShown] = useState(editing);
  if (editing !== editingShown) {
    setEditingShown(editing);
    if (editing) setText(editing.text);
  }
  useEffect(() => {
    if (editing) input.current?.focus();
  }, [editing]);

  const imagesRefused = images.length > 0 && takesImages === false;
  const canSend = blocked === null && model !== null && !busy && !imagesRefused && (text.trim() !== '' || images.length > 0);

  const send = async () => {
    if (!canSend) return;
    const parts: ContentPart[] = [...(text.trim() !== '' ? [{ type: 'text' as const, text }] : []), ...images];
    if (await onSend(parts)) {
      setText('');
      setImages([]);
      setProblem(null);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send();
    } else if (event.key === 'Escape' && editing) {
      onCancelEdit();
      setText('');
    }
  };

  const attach = async (files: FileList | null) => {
    setProblem(null);
    for (const file of files ? [...files] : []) {
      try {
        const image = await readImage(file);
        setImages((current) => [...current, image]);
      } catch (error) {
        setProblem((error as Error).message === 'size' ? t('chat.imageTooLarge', { name: file.name }) : t('chat.imageUnsupported', { name: file.name }));
      }
    }
    if (fileInput.current) fileInput.current.value = '';
  };

  const note = blocked !== null ? blocked : model === null ? t('chat.chooseModelFirst') : imagesRefused ? t('chat.noImages', { model }) : images.length > 0 && takesImages === null ? t('chat.maybeNoImages') : problem;

  return (
    <form
      className="composer"
      onSubmit={(event) => {
        event.preventDefault();
        void send();
      }}
    >
      {editing && (
        <p className="composer-editing">
          {t('chat.editing')}{' '}
          <button type="button" className="link-button" onClick={onCancelEdit}>
            {t('chat.cancelEdit')}
          </button>
        </p>
      )}
      {images.length > 0 && (
        <ul className="attachments" aria-label={t('chat.attachments')}>
          {images.map((image, index) => (
            <li key={index}>
              <img src={`data:${image.mediaType};base64,${image.data}`} alt={t('chat.attachedImage')} />
              <button type="button" className="link-button" onClick={() => setImages((current) => current.filter((_, at) => at !== index))}>
                {t('chat.removeImage')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="composer-row">
        <textarea
          ref={input}
          className="composer-input"
          placeholder={t('chat.composerPlaceholder')}
          aria-label={t('chat.composerLabel')}
          aria-describedby={note ? noteId : undefined}
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
          rows={2}
        />
        <input ref={fileInput} type="file" accept={imageMediaTypes.join(',')} multiple hidden onChange={(event) => void attach(event.target.files)} aria-hidden="true" tabIndex={-1} />
        <button type="button" className="button" onClick={() => fileInput.current?.click()} disabled={model === null || blocked !== null}>
          {t('chat.attachImage')}
        </button>
        {busy ? (
          <button type="button" className="button button-danger" onClick={onStop}>
            {t('chat.stop')}
          </button>
        ) : (
          <button type="submit" className="button button-primary" disabled={!canSend}>
            {editing ? t('chat.resend') : t('chat.send')}
          </button>
        )}
      </div>
      {note && (
        <p id={noteId} className="composer-note" role={problem || imagesRefused ? 'alert' : undefined}>
          {note}
        </p>
      )}
    </form>
  );
}
