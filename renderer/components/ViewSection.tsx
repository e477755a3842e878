import { useId, type ReactNode } from 'react';

/** A top-level view: a landmark section named by its heading. */
export function ViewSection({ title, className, children }: { title: string; className?: string; children: ReactNode }) {
  const headingId = useId();
  return (
    <section className={className ? `view ${className}` : 'view'} aria-labelledby={headingId}>
      <h1 id={headingId} className="view-title">
        {title}
      </h1>
      {children}
    </section>
  );
}
