import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useRef, type KeyboardEvent, type WheelEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { StoredMessage } from '../../shared/conversations';
import { MessageItem, type MessageActions } from './MessageItem';

/** How close to the end counts as "at the end": the view then follows a streaming answer. */
const FOLLOW_THRESHOLD_PX = 80;

/**
 * The messages of a conversation, virtualised: only those in view (and a few around) are in the
 * DOM, so a conversation of thousands of messages scrolls and streams as lightly as a short one.
 * While the user is at the end, the view follows the answer as it grows.
 */
export function MessageList({
  messages,
  busy,
  highlightId,
  actions,
  assistantName = null,
}: {
  messages: StoredMessage[];
  busy: boolean;
  highlightId: number | null;
  actions: MessageActions;
  /** The conversation's assistant, which names its opening message. */
  assistantName?: string | null;
}) {
  const { t } = useTranslation();
  const scroller = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  const dragging = useRef(false);
  // TanStack Virtual returns functions the React Compiler cannot memoise; Atelier does not use
  // the compiler, and the virtualiser re-renders this list itself when it scrolls.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: messages.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 120,
    overscan: 6,
    getItemKey: (index) => messages[index]?.id ?? index,
  });
  const lastAnswerIndex = messages.findLastIndex((message) => message.role === 'assistant');
  const last = messages.at(-1);
  const lastLength = last ? last.parts.reduce((sum, part) => sum + (part.type === 'text' ? part.text.length : 1), 0) : 0;
  // Grows as messages are measured (their real height replaces the estimate): follow that too.
  const totalSize = virtualizer.getTotalSize();

  useLayoutEffect(() => {
    const element = scroller.current;
    if (element && following.current && highlightId === null) element.scrollTop = element.scrollHeight;
  }, [messages.length, lastLength, totalSize, highlightId]);

  useEffect(() => {
    if (highlightId === null) return;
    const index = messages.findIndex((message) => message.id === highlightId);
    if (index >= 0) {
      following.current = false;
      virtualizer.scrollToIndex(index, { align: 'center' });
    }
  }, [highlightId, messages, virtualizer]);

  // Only the user leaves the end: the virtualiser's own scroll corrections (a message measured
  // taller than estimated) must not stop the view from following the answer.
  const atEnd = (element: HTMLElement) => element.scrollHeight - element.scrollTop - element.clientHeight < FOLLOW_THRESHOLD_PX;
  const onScroll = () => {
    const element = scroller.current;
    if (!element) return;
    if (atEnd(element)) following.current = true;
    else if (dragging.current) following.current = false;
  };
  const onWheel = (event: WheelEvent<HTMLDivElement>) => {
    if (event.deltaY < 0) following.current = false;
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (['ArrowUp', 'PageUp', 'Home'].includes(event.key)) following.current = false;
  };

  return (
    <div
      ref={scroller}
      className="message-scroller"
      role="region"
      aria-label={t('chat.messages')}
      tabIndex={0}
      onScroll={onScroll}
      onWheel={onWheel}
      onKeyDown={onKeyDown}
      onPointerDown={() => (dragging.current = true)}
      onPointerUp={() => (dragging.current = false)}
    >
      <div className="message-canvas" style={{ height: totalSize }}>
        {virtualizer.getVirtualItems().map((item) => {
          const message = messages[item.index];
          if (!message) return null;
          return (
            <div key={item.key} data-index={item.index} ref={virtualizer.measureElement} className="message-slot" style={{ transform: `translateY(${item.start}px)` }}>
              <MessageItem message={message} isLastAnswer={item.index === lastAnswerIndex} streaming={busy} highlighted={message.id === highlightId} actions={actions} assistantName={assistantName} />
            </div>
          );
        })}
      </div>
    </div>
  );
}
