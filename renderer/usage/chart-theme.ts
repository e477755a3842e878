import { useEffect, useState } from 'react';

/** The colours and font a chart draws with, read from the theme's CSS custom properties (styles/app.css). */
export interface ChartTheme {
  text: string;
  muted: string;
  grid: string;
  /** Cost bars; tokens in. */
  primary: string;
  /** Tokens out. */
  secondary: string;
  /** The budget line. */
  limit: string;
  font: string;
}

/** A canvas cannot use var(--x): the theme's values, as the document has them now. */
export function readChartTheme(root: HTMLElement = document.documentElement): ChartTheme {
  const style = getComputedStyle(root);
  const value = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    text: value('--text', '#1c1d21'),
    muted: value('--text-muted', '#5d6070'),
    grid: value('--border', '#dcdde3'),
    primary: value('--accent', '#3b5bdb'),
    secondary: value('--route-local', '#1b6e2e'),
    limit: value('--route-non-eu', '#9c4300'),
    font: style.fontFamily || 'system-ui, sans-serif',
  };
}

/**
 * The chart theme, read again whenever <html data-theme> changes (the user's choice, or the
 * system's dark mode for the `system` theme), so open charts redraw in the new colours.
 */
export function useChartTheme(): ChartTheme {
  const [theme, setTheme] = useState(readChartTheme);
  useEffect(() => {
    const observer = new MutationObserver(() => setTheme(readChartTheme()));
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => observer.disconnect();
  }, []);
  return theme;
}
