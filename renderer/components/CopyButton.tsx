import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

type Copied = 'idle' | 'copied' | 'failed';

/**
 * Copies `text` to the clipboard, and says so (or that it could not: then the text, shown
 * beside the button, can be selected and copied by hand). `label` names what is copied, for a
 * screen reader and for a page with several such buttons ("Copy the token").
 */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState<Copied>('idle');
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  const copy = () => {
    window.clearTimeout(timer.current);
    navigator.clipboard.writeText(text).then(
      () => setCopied('copied'),
      () => setCopied('failed'),
    );
    timer.current = window.setTimeout(() => setCopied('idle'), 4000);
  };

  return (
    <span className="copy-button">
      <button type="button" className="button" onClick={copy}>
        {label}
      </button>
      <span className="save-status" role="status">
        {copied === 'copied' && t('gateway.copied')}
        {copied === 'failed' && t('gateway.copyFailed')}
      </span>
    </span>
  );
}
